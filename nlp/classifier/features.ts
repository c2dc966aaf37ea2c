import { leadSentence, stripBoilerplate } from '../text/boilerplate.js';
import { normalizeText } from '../text/normalize.js';
import { cutWords } from '../text/segment.js';

/** A text to classify: raw text, or words already segmented upstream. */
export interface Doc {
  text?: string;
  tokens?: readonly string[];
}

export interface FeatureConfig {
  charMin: number;
  charMax: number;
  wordBigrams: boolean;
  /** jieba words as features (costs a segmentation per message). */
  words?: boolean;
  /** Letter boilerplate (salutations, closings, self-introductions) removed first. */
  strip?: boolean;
  /** The title / first sentence's character n-grams again, in their own space. */
  lead?: boolean;
  /** How many times the lead sentence's n-grams count (a title weight; default 1). */
  leadRepeat?: number;
  /**
   * The lead of a text given as tokens (a segmented row, whose punctuation is gone, so its title
   * cannot be found): its first `tokensLead` characters, none at 0; unset, the first sentence as
   * for raw text (which, without punctuation, runs 80 characters into the body).
   */
  tokensLead?: number;
  /**
   * Object words (the table's 部件 names and synonyms: 井盖, 路灯, 护栏…): one feature
   * per word the text contains, in its own space.
   */
  objects?: readonly string[];
  /** At training, `objects` is filled with the table's 部件 names and synonyms. */
  tableObjects?: boolean;
}

// Word bigrams measured no better than without on either data set (TipDM 5-fold 0.9292
// with, 0.9296 without; 城管 corpus 0.7319 with, 0.7380 without) and cost a fifth more
// features, so they are off; the switch stays for experiments.
export const DEFAULT_FEATURES: FeatureConfig = { charMin: 1, charMax: 3, wordBigrams: false };

/** What the product model uses: see nlp/README.md for what was measured. */
export const PRODUCT_FEATURES: FeatureConfig = {
  charMin: 1,
  charMax: 3,
  wordBigrams: false,
  words: false,
  strip: true,
  lead: true,
};

// Words that carry no topic; character n-grams still see them, so dropping them only
// keeps the word features about the matter reported.
const STOPWORDS = new Set(
  (
    '的 了 是 在 我 我们 你 你们 您 他 她 它 他们 这 那 这个 那个 这里 那里 有 和 与 及 跟 就 都 也 还 ' +
    '很 吧 呢 吗 啊 呀 哦 嗯 着 过 被 把 给 让 对 从 到 向 为 以 于 而 或 但 并 且 等 个 之 其 此 该 ' +
    '么 请 一下 一个 就是 还是 可以 已经 现在 因为 所以 如果 这样 那么'
  ).split(' '),
);

const NS_WORD = 1;
const NS_BIGRAM = 2;
const NS_CHAR = 3;
const NS_LEAD = 4;
const NS_OBJECT = 5;
const FNV_OFFSET = 0x811c9dc5;
/** FNV-1a: a character n-gram's key is gramSeed(space), then each code and n mixed in. */
export const FNV_PRIME = 0x01000193;
// Keys stay within V8's small-integer range so Map lookups do not box them.
export const KEY_MASK = 0x3fffffff;

const DIGIT = /\p{N}/u;
const WORDLIKE = /[\p{L}\p{N}]/u;

export function gramSeed(ns: number): number {
  return start(ns);
}

function start(ns: number): number {
  return Math.imul(FNV_OFFSET ^ ns, FNV_PRIME);
}

function mix(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME);
}

function mixString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

function add(counts: Map<number, number>, key: number): void {
  const k = key & KEY_MASK;
  counts.set(k, (counts.get(k) ?? 0) + 1);
}

// Digits fold to 0 so "3号楼" and "12号楼" share features; letters are lower-cased.
// After NFKC digits and Latin letters are ASCII, so most (all-Han) words skip the regex.
function foldWord(word: string): string {
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) < 0x80) return word.toLowerCase().replace(/\p{N}/gu, '0');
  }
  return word;
}

/** Normalised text and its words, as the hashing wants them. */
export interface Segmented {
  text: string;
  words: readonly string[];
  /** The title or first sentence, when the features weight it. */
  lead?: string;
}

/**
 * Given tokens are normalised one by one; raw text is normalised and cut with jieba.
 * With `strip`, letter boilerplate goes first (given tokens are then joined and read
 * as raw text, so that training on segmented rows and reading raw ones agree).
 */
export function segmentDoc(doc: Doc, config: FeatureConfig = DEFAULT_FEATURES): Segmented {
  if (doc.tokens && !config.strip) {
    return { text: normalizeText(doc.tokens.join('')), words: doc.tokens.map((t) => normalizeText(t)) };
  }
  const text = normalizeText(doc.tokens ? doc.tokens.join('') : (doc.text ?? ''));
  const prepared = prepareText(text, config);
  if (doc.tokens && config.lead && config.tokensLead !== undefined) {
    prepared.lead = config.tokensLead > 0 ? prepared.text.slice(0, config.tokensLead) : undefined;
  }
  return prepared;
}

const FEATURE_CHARS = 1500;

/** From normalised text: boilerplate removed, the lead sentence and the words as configured. */
export function prepareText(normalized: string, config: FeatureConfig): Segmented {
  const stripped = config.strip ? stripBoilerplate(normalized) : normalized;
  // The matter of a letter is in its first paragraphs; the cost of the rest is not.
  const text = config.strip && stripped.length > FEATURE_CHARS ? stripped.slice(0, FEATURE_CHARS) : stripped;
  const wantWords = config.words ?? true;
  return { text, words: wantWords ? cutWords(text) : [], lead: config.lead ? leadSentence(text) : undefined };
}

function topicWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (!w || !WORDLIKE.test(w) || STOPWORDS.has(w)) continue;
    out.push(foldWord(w));
  }
  return out;
}

// Fast paths for ASCII and the common Han block; the regexes settle everything else.
function charClass(code: number, ch: string): 'digit' | 'word' | 'gap' {
  if (code < 0x80) {
    if (code >= 0x30 && code <= 0x39) return 'digit';
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) ? 'word' : 'gap';
  }
  if (code >= 0x4e00 && code <= 0x9fff) return 'word';
  if (!WORDLIKE.test(ch)) return 'gap';
  return DIGIT.test(ch) ? 'digit' : 'word';
}

// One buffer for every text's character codes: classify() runs on one thread, and a
// fresh array per message was a measurable share of its time.
let runBuffer = new Int32Array(4096);

/**
 * Character codes of the text with separators (-1) wherever a run of letters, digits or
 * Han breaks. The returned view is only valid until the next call.
 */
export function charRuns(text: string): Int32Array {
  if (runBuffer.length < text.length) runBuffer = new Int32Array(text.length * 2);
  const codes = runBuffer;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    // Fast paths: ASCII and the common Han block need no regex.
    if (code >= 0x4e00 && code <= 0x9fff) {
      codes[n++] = code;
      continue;
    }
    if (code < 0x80) {
      if (code >= 0x30 && code <= 0x39) codes[n++] = 0x30;
      else if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) codes[n++] = code | 0x20;
      else if (n > 0 && codes[n - 1] !== -1) codes[n++] = -1;
      continue;
    }
    code = text.codePointAt(i)!;
    const ch = String.fromCodePoint(code);
    if (code > 0xffff) i++;
    const kind = charClass(code, ch);
    if (kind === 'gap') {
      if (n > 0 && codes[n - 1] !== -1) codes[n++] = -1;
    } else if (kind === 'digit') {
      codes[n++] = 0x30;
    } else {
      codes[n++] = ch.toLowerCase().codePointAt(0)!;
    }
  }
  return codes.subarray(0, n);
}

/**
 * Hashed counts of jieba words (and word bigrams if configured) and character n-grams.
 * Given tokens are used as the words and joined (without spaces) for the character
 * n-grams, so a model trained on segmented text still reads raw text and the reverse.
 */
export function featureCounts(doc: Doc, config: FeatureConfig = DEFAULT_FEATURES): Map<number, number> {
  return hashFeatures(segmentDoc(doc, config), config);
}

/** Calls `sink` with the hashed key of every character n-gram of the text, in order. */
export function forEachCharGram(text: string, ns: number, config: FeatureConfig, sink: (key: number) => void): void {
  const codes = charRuns(text);
  const length = codes.length;
  const charMin = config.charMin;
  const charMax = config.charMax;
  for (let i = 0; i < length; i++) {
    if (codes[i] === -1) continue;
    let h = start(ns);
    for (let n = 1; n <= charMax && i + n <= length; n++) {
      const c = codes[i + n - 1];
      if (c === -1) break;
      h = mix(h, c);
      if (n >= charMin) sink(mix(h, n) & KEY_MASK);
    }
  }
}

interface ObjectIndex {
  /** One byte per UTF-16 code: 1 where some object word starts with it. */
  starts: Uint8Array;
  byStart: Map<number, { word: string; at: number; key: number }[]>;
  /** The call in which each word was last found, so that a word counts once per text. */
  foundIn: Int32Array;
  call: number;
}

const objectIndexes = new WeakMap<readonly string[], ObjectIndex>();

function objectIndexOf(objects: readonly string[]): ObjectIndex {
  let index = objectIndexes.get(objects);
  if (!index) {
    const starts = new Uint8Array(0x10000);
    const byStart = new Map<number, { word: string; at: number; key: number }[]>();
    objects.forEach((word, at) => {
      if (!word) return;
      const code = word.charCodeAt(0);
      starts[code] = 1;
      byStart.set(code, [
        ...(byStart.get(code) ?? []),
        { word, at, key: mixString(start(NS_OBJECT), word) & KEY_MASK },
      ]);
    });
    index = { starts, byStart, foundIn: new Int32Array(objects.length).fill(-1), call: 0 };
    objectIndexes.set(objects, index);
  }
  return index;
}

/**
 * Calls `sink` with the key of every object word (config.objects) the text contains, once
 * per word, in the order they first occur: one typed-array read per character, the words
 * compared only where one of them can start.
 */
export function forEachObject(text: string, config: FeatureConfig, sink: (key: number) => void): void {
  const objects = config.objects;
  if (!objects || objects.length === 0) return;
  const index = objectIndexOf(objects);
  const call = (index.call = (index.call + 1) | 0);
  const { starts, byStart, foundIn } = index;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (starts[code] === 0) continue;
    for (const o of byStart.get(code)!) {
      if (foundIn[o.at] !== call && text.startsWith(o.word, i)) {
        foundIn[o.at] = call;
        sink(o.key);
      }
    }
  }
}

/** The feature spaces the character n-grams of the text and of its lead sentence live in. */
export const CHAR_SPACES = { text: NS_CHAR, lead: NS_LEAD } as const;

export function hashFeatures(doc: Segmented, config: FeatureConfig = DEFAULT_FEATURES): Map<number, number> {
  const counts = new Map<number, number>();
  if (!doc.text) return counts;

  const words = topicWords(doc.words);
  for (let i = 0; i < words.length; i++) {
    add(counts, mixString(start(NS_WORD), words[i]));
    if (config.wordBigrams && i > 0) {
      add(counts, mixString(mix(mixString(start(NS_BIGRAM), words[i - 1]), 0x1f), words[i]));
    }
  }

  const sink = (key: number) => counts.set(key, (counts.get(key) ?? 0) + 1);
  forEachCharGram(doc.text, NS_CHAR, config, sink);
  if (doc.lead) for (let r = config.leadRepeat ?? 1; r > 0; r--) forEachCharGram(doc.lead, NS_LEAD, config, sink);
  forEachObject(doc.text, config, sink);
  return counts;
}
