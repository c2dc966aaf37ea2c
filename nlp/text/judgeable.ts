import { HAN_GLOBAL } from './normalize.js';

/**
 * Why a message goes to a person. empty, no_text, no_chinese, too_short and
 * repetitive mean there is nothing to classify (the result carries no category);
 * foreign_language, too_long, low_confidence, vague (nothing said yet but greetings and
 * fillers: 喂你好我想反映个事情) and uncertain_transfer (非城管 more likely than not,
 * but not sure enough to suggest a transfer) come with a best guess; error means
 * the classifier itself failed on the input.
 */
export type ReviewReason =
  | 'empty'
  | 'no_text'
  | 'no_chinese'
  | 'too_short'
  | 'repetitive'
  | 'foreign_language'
  | 'too_long'
  | 'low_confidence'
  | 'vague'
  | 'uncertain_transfer'
  | 'error';

export interface TextLimits {
  /** Fewer Chinese characters than this and no guess is made ("喂", "井"). */
  minHan: number;
  /** Longer texts are classified on their first maxChars characters and flagged. */
  maxChars: number;
}

export const DEFAULT_LIMITS: TextLimits = { minHan: 2, maxChars: 3000 };

export interface Judgement {
  /** Set when the text cannot be judged at all. */
  blocking?: ReviewReason;
  flags: ReviewReason[];
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LATIN_WORDS = /[\p{Script=Latin}]+/gu;
const OTHER_SCRIPT =
  /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Thai}\p{Script=Greek}]/gu;

function count(text: string, pattern: RegExp): number {
  let n = 0;
  for (const _ of text.matchAll(pattern)) n++;
  return n;
}

/** Decides, on normalised text, whether a classification can be attempted and what to flag. */
export function judgeText(text: string, limits: TextLimits = DEFAULT_LIMITS): Judgement {
  if (!text) return { blocking: 'empty', flags: ['empty'] };
  if (!LETTER_OR_DIGIT.test(text)) return { blocking: 'no_text', flags: ['no_text'] };

  const sample = text.length > limits.maxChars ? text.slice(0, limits.maxChars) : text;
  const hanChars = sample.match(HAN_GLOBAL) ?? [];
  if (hanChars.length === 0) return { blocking: 'no_chinese', flags: ['no_chinese'] };
  if (hanChars.length < limits.minHan) return { blocking: 'too_short', flags: ['too_short'] };
  if (hanChars.length >= 4 && new Set(hanChars).size <= 2) {
    return { blocking: 'repetitive', flags: ['repetitive'] };
  }

  const flags: ReviewReason[] = [];
  // A Latin word carries about as much as two characters; kana and other scripts
  // count one each. Anonymised place names (A市A3区) stay well under the Chinese.
  const foreign = 2 * count(sample, LATIN_WORDS) + count(sample, OTHER_SCRIPT);
  if (foreign > hanChars.length) flags.push('foreign_language');
  if (text.length > limits.maxChars) flags.push('too_long');
  return { flags };
}
