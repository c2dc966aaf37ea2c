import type { TemplateKind } from '../wechatApi/templates.js';

/**
 * Every word the service sends a citizen in WeChat chat, in one place for review.
 * The subscribe-message wording lives in server/wechatApi/templates.ts.
 */
export interface ChatNotice {
  caseNo: string;
  title: string;
  categoryName: string | null;
  address: string | null;
  departmentName?: string | null;
  /** What the department reported doing, for the 已处置 notice. */
  note?: string | null;
}

const what = (n: ChatNotice) => `${n.categoryName ?? n.title}${n.address ? `（${n.address}）` : ''}`;

export const chatMessages: Record<TemplateKind, (n: ChatNotice) => string> = {
  registered: (n) => `您反映的问题已受理，案件编号 ${n.caseNo}：${what(n)}。我们会尽快安排处理，请留意后续通知。`,
  dispatched: (n) => `案件 ${n.caseNo} 已派遣至${n.departmentName ?? '责任单位'}处理，请耐心等待。`,
  resolved: (n) =>
    `案件 ${n.caseNo} 已处置完毕${n.note ? `：${n.note}` : '。'}${n.note && !/[。！!.]$/.test(n.note) ? '。' : ''}稍后我们将就处理结果向您回访。`,
  survey: (n) =>
    `您好，这里是城市管理服务热线。您反映的案件 ${n.caseNo}（${what(n)}）已处理完毕，请对处理结果进行评价：回复 1 满意，2 基本满意，3 不满意。如不满意，可在数字后说明原因。`,
};
