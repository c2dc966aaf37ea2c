import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;

// The dictionary takes ~0.3 s to load, so it is built on first use and shared.
export function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Jieba words with HMM for unknown names; every character of the input is kept, in order. */
export function cutWords(text: string): string[] {
  if (!text) return [];
  return segmenter().cut(text, true);
}
