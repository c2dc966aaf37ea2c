import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';

const require = createRequire(import.meta.url);
let jieba: Jieba | undefined;

// The dictionary takes ~0.3 s to load, so it is built on first use and shared. The package itself (its
// native library and the 5 MB dictionary file read at import, ~27 MB of RSS) is loaded then too, not
// with the service: the classifier reads characters, and only the extraction of places cuts words.
export function segmenter(): Jieba {
  if (!jieba) {
    const { Jieba: Segmenter } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict.js') as typeof import('@node-rs/jieba/dict.js');
    jieba = Segmenter.withDict(dict);
  }
  return jieba;
}

/** Jieba words with HMM for unknown names; every character of the input is kept, in order. */
export function cutWords(text: string): string[] {
  if (!text) return [];
  return segmenter().cut(text, true);
}
