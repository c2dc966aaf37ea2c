import type { Config } from '../config.js';
import type { TemplateKind } from '../wechatApi/templates.js';

/**
 * The SMS templates we use. A provider sends only an approved template filled with variables,
 * so what we pass is the template id (a setting per notice) and the case number (and, for the
 * survey, the short link's code), nothing else: no citizen's words, no address, nothing a
 * template reviewer did not approve. `text` is the wording to submit for approval (Aliyun
 * ${caseNo} ${code}; Tencent {1} {2}, in that order).
 */
export const SMS_TEMPLATES: Record<
  TemplateKind,
  {
    setting: 'SMS_TEMPLATE_REGISTERED' | 'SMS_TEMPLATE_DISPATCHED' | 'SMS_TEMPLATE_RESOLVED' | 'SMS_TEMPLATE_SURVEY';
    text: string;
  }
> = {
  registered: {
    setting: 'SMS_TEMPLATE_REGISTERED',
    text: '您反映的问题已受理，案件编号${caseNo}，可凭编号查询办理进度。',
  },
  dispatched: {
    setting: 'SMS_TEMPLATE_DISPATCHED',
    text: '您反映的案件${caseNo}已派遣至责任单位处理，请耐心等待。',
  },
  resolved: {
    setting: 'SMS_TEMPLATE_RESOLVED',
    text: '您反映的案件${caseNo}已处置完毕，稍后将就处理结果向您回访。',
  },
  survey: {
    setting: 'SMS_TEMPLATE_SURVEY',
    text: '您反映的案件${caseNo}已处理完毕，请回复数字评价：1满意，2基本满意，3不满意，可在数字后说明原因；或打开 https://<本站域名>/s/${code} 评价。回复TD退订',
  },
};

/** The variables a template carries: the case number, and for the survey the short link's code (/s/<code>). */
export const smsParams = (caseNo: string, code?: string) =>
  [{ name: 'caseNo', value: caseNo }, ...(code ? [{ name: 'code', value: code }] : [])] as const;

/** The template id configured for a notice; '' when that notice is not sent by SMS. */
export const smsTemplateId = (config: Config, kind: TemplateKind): string => config[SMS_TEMPLATES[kind].setting];
