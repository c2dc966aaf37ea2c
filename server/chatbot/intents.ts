import { CASE_NO } from '../cases/caseNumber.js';
import type { SurveyResult } from './types.js';

/**
 * Reading what a citizen typed: commands, yes/no, corrections and survey
 * answers. Pure functions over the text, so each rule is tested on its own.
 */

/** Full-width digits and letters folded, punctuation, symbols and spaces gone, lower case. */
export function squeeze(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

const PARTICLES = /[啊呀吧哦喔噢呢嘛啦哈呗]+$/u;

/** squeeze() without the trailing particles people add to short replies (好的呀, 确认吧). */
function bare(text: string): string {
  return squeeze(text).replace(PARTICLES, '');
}

const GREETINGS = new Set([
  '你好',
  '您好',
  '在吗',
  '在不在',
  '有人吗',
  '有人在吗',
  'hi',
  'hello',
  '哈喽',
  '嗨',
  '喂',
  '早上好',
  '上午好',
  '中午好',
  '下午好',
  '晚上好',
  '早',
  '早安',
  '你好你好',
]);

export function isGreeting(text: string): boolean {
  return GREETINGS.has(bare(text));
}

const ACKNOWLEDGEMENTS = new Set([
  '谢谢',
  '谢谢你',
  '谢谢你们',
  '谢谢了',
  '感谢',
  '多谢',
  '辛苦了',
  '辛苦',
  '收到',
  '知道了',
  '好的',
  '好',
  '好滴',
  '好嘞',
  '行',
  '嗯',
  '嗯嗯',
  'ok',
  '👌',
  '👍',
]);

/** Thanks and okays: nothing to act on. */
export function isAcknowledgement(text: string): boolean {
  const t = text.trim();
  return ACKNOWLEDGEMENTS.has(bare(text)) || /^[👌👍🙏]+$/u.test(t);
}

export type Command =
  { type: 'query'; caseNo: string } | { type: 'mine' } | { type: 'handover' } | { type: 'cancel' } | { type: 'help' };

const MINE = new Set([
  '我的上报',
  '我的案件',
  '我的投诉',
  '我的反映',
  '我的问题',
  '我的记录',
  '上报记录',
  '查询',
  '查进度',
  '查询进度',
  '进度查询',
  '进度',
]);
const CANCEL = new Set(['取消', '算了', '不报了', '不用了', '取消上报', '重新开始', '重来', '不说了']);
const HELP = new Set(['帮助', '菜单', 'help', '怎么用', '使用说明', '说明']);
const HANDOVER = /^(转|找|要|接)?(人工|真人)(客服|服务|坐席)?$|转人工|人工客服|人工服务|找人工/u;

export function parseCommand(text: string): Command | null {
  const s = squeeze(text);
  const digits = s.match(/(?:^|查询|查|进度|案件|案件号|编号)(\d{13,14})$/u);
  if (digits && CASE_NO.test(digits[1])) return { type: 'query', caseNo: digits[1] };
  const b = bare(text);
  if (MINE.has(b)) return { type: 'mine' };
  if (HANDOVER.test(b)) return { type: 'handover' };
  if (CANCEL.has(b)) return { type: 'cancel' };
  if (HELP.has(b) || text.trim() === '?' || text.trim() === '？') return { type: 'help' };
  return null;
}

const YES = new Set([
  '1',
  '确认',
  '确定',
  '提交',
  '确认提交',
  '确定提交',
  '是',
  '是的',
  '对',
  '对的',
  '没错',
  '没问题',
  '好',
  '好的',
  '可以',
  'ok',
  '嗯',
  '嗯嗯',
  'yes',
  '行',
]);
const NO = new Set(['2', '修改', '改', '改一下', '要修改', '不对', '不是', '错了', '有误', '不正确']);

export function isConfirm(text: string): boolean {
  return YES.has(bare(text));
}

export function isModify(text: string): boolean {
  return NO.has(bare(text));
}

const CORRECTION =
  /^\s*(?:不对|不是|错了|搞错了|说错了|写错了|弄错了|更正|纠正|修改|改一下|改)[\s,，。.、!！:：;；]*(?:应该|其实|而)?(?:是|为|改成|改为|换成)?(?:在)?/u;

/** "不对，是在学院路" → {corrected: true, rest: "学院路"}; other text comes back whole. */
export function stripCorrection(text: string): { corrected: boolean; rest: string } {
  const m = text.match(CORRECTION);
  if (!m || m[0].trim() === '') return { corrected: false, rest: text.trim() };
  return { corrected: true, rest: text.slice(m[0].length).trim() };
}

const NO_PHOTO = /没有?照片|没有?图片?|没法拍|拍不了|不方便拍|没拍|无照片|不能拍|拍不到/u;

export function saysNoPhoto(text: string): boolean {
  return NO_PHOTO.test(squeeze(text));
}

// Checked in this order: 不满意 holds 满意, 基本满意 holds 满意, 没解决 holds 解决.
const UNSATISFIED = [
  '不满意',
  '不太满意',
  '不是很满意',
  '不怎么满意',
  '不咋满意',
  '不大满意',
  '没解决',
  '没有解决',
  '未解决',
  '没处理',
  '没有处理',
  '没人处理',
  '没人管',
  '不行',
  '不太好',
  '不好',
  '很差',
  '太差',
  '真差',
  '差劲',
  '糟糕',
  '差评',
  '不怎么样',
  '不咋样',
  '失望',
  '敷衍',
  '没用',
];
const BASIC = [
  '基本满意',
  '比较满意',
  '还算满意',
  '还行',
  '还可以',
  '还好',
  '一般',
  '凑合',
  '马马虎虎',
  '过得去',
  '尚可',
  '差不多',
  '勉强',
  '将就',
  '基本解决',
  '部分解决',
  '就那样',
  '中等',
];
const SATISFIED = [
  '满意',
  '很好',
  '非常好',
  '挺好',
  '真好',
  '不错',
  '好评',
  '满分',
  '已解决',
  '解决了',
  '处理好了',
  '处理得很好',
  '处理的很好',
  '点赞',
  '赞',
  '完美',
  '给力',
];
const THUMBS_UP = /👍|👏/u;
const DIGIT_ANSWER: Record<string, SurveyResult> = { '1': '满意', '2': '基本满意', '3': '不满意' };

export interface SurveyAnswer {
  result: SurveyResult;
  /** What else the citizen said ("不满意，垃圾还在"), kept for the record. */
  comment: string | null;
  /** Given as 1/2/3 (or 👍): means something only where a survey question was put. */
  onlyIfAsked: boolean;
}

const REFUSAL = /^(拒绝回访|不需要回访|不用回访|不要回访|不要再?(打扰|联系|回访|打电话)|别再?(打扰|联系|回访|打电话))/u;

/**
 * 1/2/3 and the ways people say them. Anything unclear is null: asking again
 * is better than recording a verdict the citizen did not give.
 */
export function parseSurveyAnswer(text: string): SurveyAnswer | null {
  const raw = text.trim();
  if (!raw) return null;
  const folded = raw.normalize('NFKC');
  const numeral = ({ 一: '1', 二: '2', 三: '3' } as Record<string, string>)[bare(raw)];
  if (numeral) return { result: DIGIT_ANSWER[numeral], comment: null, onlyIfAsked: true };
  const digit = folded.match(/^\s*(?:选|回复)?\s*([123])(?!\d)[\s,，。.、:：;；!！)）]*(.*)$/su);
  if (digit) {
    const rest = digit[2].trim();
    // "3号楼门口…" is an address, not an answer.
    if (!rest || !/^[号楼栋层单元路街巷弄期区室]/u.test(rest))
      return { result: DIGIT_ANSWER[digit[1]], comment: rest || null, onlyIfAsked: true };
  }
  const s = squeeze(raw);
  if (REFUSAL.test(s)) return { result: '拒绝回访', comment: null, onlyIfAsked: false };
  const pick = (list: string[]) => list.find((w) => s.includes(w));
  const word = pick(UNSATISFIED) ?? pick(BASIC) ?? pick(SATISFIED);
  if (!word) return THUMBS_UP.test(raw) ? { result: '满意', comment: null, onlyIfAsked: true } : null;
  const result: SurveyResult = UNSATISFIED.includes(word) ? '不满意' : BASIC.includes(word) ? '基本满意' : '满意';
  // A bare verdict (非常满意！) has no comment; anything longer is kept whole.
  const extra = s
    .replace(word, '')
    .replace(/^(非常|很|挺|十分|特别|还是|真的|比较|都)+/u, '')
    .replace(PARTICLES, '');
  return { result, comment: extra.length > 1 ? raw : null, onlyIfAsked: false };
}
