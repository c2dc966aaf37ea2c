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
const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const OTHER_SCRIPT =
  /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Thai}\p{Script=Greek}]/u;

interface Counts {
  han: number;
  /** Distinct Han characters, counted up to 3. */
  distinctHan: number;
  latinWords: number;
  otherScript: number;
}

// One pass over the text with fast paths for ASCII and the common Han block: this runs
// on every message, and the regex-per-character way cost more than the model.
function countScripts(text: string): Counts {
  const counts: Counts = { han: 0, distinctHan: 0, latinWords: 0, otherScript: 0 };
  let first = -1;
  let second = -1;
  let inLatin = false;
  // By code point, as for…of would go, without a string per character on the fast paths.
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    let han = false;
    let latin = false;
    let ch = '';
    if (code < 0x80) {
      latin = (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
    } else if (code >= 0x4e00 && code <= 0x9fff) {
      han = true;
    } else if (HAN.test((ch = String.fromCodePoint(code)))) {
      han = true;
    } else if (LATIN.test(ch)) {
      latin = true;
    } else if (OTHER_SCRIPT.test(ch)) {
      counts.otherScript++;
    }
    if (latin && !inLatin) counts.latinWords++;
    inLatin = latin;
    if (han) {
      counts.han++;
      if (counts.distinctHan < 3 && code !== first && code !== second) {
        if (first === -1) first = code;
        else if (second === -1) second = code;
        counts.distinctHan++;
      }
    }
  }
  return counts;
}

/** Decides, on normalised text, whether a classification can be attempted and what to flag. */
export function judgeText(text: string, limits: TextLimits = DEFAULT_LIMITS): Judgement {
  if (!text) return { blocking: 'empty', flags: ['empty'] };
  if (!LETTER_OR_DIGIT.test(text)) return { blocking: 'no_text', flags: ['no_text'] };

  const sample = text.length > limits.maxChars ? text.slice(0, limits.maxChars) : text;
  const counts = countScripts(sample);
  if (counts.han === 0) return { blocking: 'no_chinese', flags: ['no_chinese'] };
  if (counts.han < limits.minHan) return { blocking: 'too_short', flags: ['too_short'] };
  if (counts.han >= 4 && counts.distinctHan <= 2) {
    return { blocking: 'repetitive', flags: ['repetitive'] };
  }

  const flags: ReviewReason[] = [];
  // A Latin word carries about as much as two characters; kana and other scripts
  // count one each. Anonymised place names (A市A3区) stay well under the Chinese.
  const foreign = 2 * counts.latinWords + counts.otherScript;
  if (foreign > counts.han) flags.push('foreign_language');
  if (text.length > limits.maxChars) flags.push('too_long');
  return { flags };
}
