import { oneLine, truncate } from './text.js';
import type { SubscribeMessage } from './types.js';

/**
 * The subscribe-message templates the service sends, and all their zh-CN wording.
 * Each template chosen in the mini-program console must have exactly the keywords
 * listed under `fields`; when a chosen template numbers them differently, change
 * the keys here and nothing else.
 */
export type TemplateKind = 'registered' | 'dispatched' | 'resolved' | 'survey';

/** Settings holding each template's id, as issued in the mini-program console. */
export const TEMPLATE_SETTINGS = {
  registered: 'WECHAT_TEMPLATE_REGISTERED',
  dispatched: 'WECHAT_TEMPLATE_DISPATCHED',
  resolved: 'WECHAT_TEMPLATE_RESOLVED',
  survey: 'WECHAT_TEMPLATE_SURVEY',
} as const satisfies Record<TemplateKind, string>;

export interface CaseNotice {
  caseNo: string;
  categoryName: string;
  address: string;
  /** The case state's Chinese label (受理, 派遣, 已处置…); anything else shows the template's own status. */
  state: string;
  at: Date;
  note?: string;
}

type Source = keyof CaseNotice;
/** Keyword names are WeChat's: the type, then the number the template gives it. */
type Keyword = `${'thing' | 'character_string' | 'phrase' | 'time'}${number}`;

interface TemplateSpec {
  title: string;
  /** Shown in the phrase field when the notice's state cannot be. */
  status: string;
  /** Shown in the note field when the notice has none. */
  remark: string;
  fields: Record<Keyword, Source>;
}

const CASE_FIELDS = {
  character_string1: 'caseNo',
  thing2: 'categoryName',
  thing3: 'address',
  phrase4: 'state',
  time5: 'at',
  thing6: 'note',
} as const satisfies Record<Keyword, Source>;

export const TEMPLATES: Record<TemplateKind, TemplateSpec> = {
  registered: {
    title: '问题受理通知',
    status: '已受理',
    remark: '您反映的问题已受理，我们将尽快处理',
    fields: CASE_FIELDS,
  },
  dispatched: {
    title: '问题派遣通知',
    status: '已派遣',
    remark: '已派遣至责任单位，请耐心等待处置',
    fields: CASE_FIELDS,
  },
  resolved: {
    title: '问题处置通知',
    status: '已处置',
    remark: '问题已处置完毕，感谢您的监督',
    fields: CASE_FIELDS,
  },
  survey: {
    title: '处置结果评价提醒',
    status: '待评价',
    remark: '请对本次处置结果进行评价',
    fields: CASE_FIELDS,
  },
};

const EMPTY: Partial<Record<Source, string>> = {
  categoryName: '城市管理问题',
  address: '详见案件详情',
};

/** WeChat's field rules; a value breaking one fails the whole send with 47003. */
export const FIELD_LIMITS = { thing: 20, character_string: 32, phrase: 5 } as const;

/** thing: at most 20 characters of any kind; cut text ends in an ellipsis. */
export function thingValue(text: string, fallback = '无'): string {
  return truncate(oneLine(text), FIELD_LIMITS.thing) || fallback;
}

/** character_string: at most 32 letters, digits and symbols (no spaces, no Chinese). */
export function characterStringValue(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, '').slice(0, FIELD_LIMITS.character_string) || '-';
}

/** phrase: at most 5 Chinese characters and nothing else; empty when the text has none. */
export function phraseValue(text: string): string {
  return Array.from(text.replace(/[^\p{Script=Han}]/gu, ''))
    .slice(0, FIELD_LIMITS.phrase)
    .join('');
}

/**
 * time: `YYYY-MM-DD HH:mm` in Beijing time whatever the server's zone. China has
 * kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
 */
export function timeValue(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The `data` of a subscribe message for a case: keyword → value, every value inside WeChat's limits. */
export function buildTemplateData(kind: TemplateKind, notice: CaseNotice): Record<string, string> {
  const spec = TEMPLATES[kind];
  const data: Record<string, string> = {};
  for (const [keyword, source] of Object.entries(spec.fields) as [Keyword, Source][]) {
    const type = keyword.replace(/\d+$/, '');
    const raw = notice[source];
    const text = raw instanceof Date ? '' : String(raw ?? '');
    if (type === 'time') data[keyword] = timeValue(raw instanceof Date ? raw : notice.at);
    else if (type === 'character_string') data[keyword] = characterStringValue(text);
    else if (type === 'phrase') data[keyword] = phraseValue(text) || spec.status;
    else data[keyword] = thingValue(text, source === 'note' ? spec.remark : EMPTY[source]);
  }
  return data;
}

/** The case's page in the mini-program, opened when the citizen taps the message. */
export function casePage(caseNo: string): string {
  return `pages/detail/index?no=${encodeURIComponent(caseNo)}`;
}

/** A ready-to-send message; `templateIds` come from the TEMPLATE_SETTINGS settings. */
export function buildSubscribeMessage(
  kind: TemplateKind,
  notice: CaseNotice,
  to: {
    touser: string;
    templateIds: Record<TemplateKind, string>;
    miniprogramState?: SubscribeMessage['miniprogramState'];
  },
): SubscribeMessage {
  return {
    touser: to.touser,
    templateId: to.templateIds[kind],
    page: casePage(notice.caseNo),
    data: buildTemplateData(kind, notice),
    ...(to.miniprogramState ? { miniprogramState: to.miniprogramState } : {}),
  };
}
