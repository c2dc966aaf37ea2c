import { existsSync } from 'node:fs';
import type { Example } from '../classifier/train.js';
import type { Taxonomy } from '../taxonomy/schema.js';
import { hasTexts, keyOf, readSourceRows } from './data.js';
import { readRealLabels, type RealLabel } from './labels.js';
import { readSplit } from './split.js';

export interface RealExample extends Example {
  /** 小类 code. */
  label: string;
  real: RealLabel;
  tipdm?: string;
}

export interface RealSet {
  train: RealExample[];
  test: RealExample[];
  /** Labels whose message is not in the data directory. */
  missing: number;
  skipped: number;
}

/**
 * Our labels joined with the messages' texts (read from the data directory, never
 * stored in the repo), split into the training part and the held-out part.
 * Without texts, or without a split file, there is nothing real to offer.
 */
export function readRealSet(
  dataDir: string,
  labelsPath: string,
  splitPath: string,
  taxonomy: Taxonomy,
): RealSet | undefined {
  if (!hasTexts(dataDir) || !existsSync(labelsPath)) return undefined;
  const split = readSplit(splitPath);
  if (!split) return undefined;
  const { labels, skipped } = readRealLabels(labelsPath, taxonomy);
  const texts = new Map(readSourceRows(dataDir).map((r) => [keyOf(r), r]));
  const out: RealSet = { train: [], test: [], missing: 0, skipped: skipped.length };
  for (const label of labels) {
    const row = texts.get(label.key);
    if (!row) {
      out.missing++;
      continue;
    }
    const example: RealExample = { text: row.text, label: label.minor, real: label, tipdm: row.tipdm };
    (split.isTest(label.key) ? out.test : out.train).push(example);
  }
  return out;
}
