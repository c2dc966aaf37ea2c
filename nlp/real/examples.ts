import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Example } from '../classifier/train.js';
import type { Taxonomy } from '../taxonomy/schema.js';
import { copiesOfRaw } from './dedup.js';
import {
  hasTexts,
  keyOf,
  readSegmentedRows,
  readSourceRows,
  SEGMENTED_FILE,
  SEGMENTED_SRC,
  segmentedText,
} from './data.js';
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
  /**
   * Labelled rows of the segmented file (stop words removed upstream): training only, never held out
   * or scored, and none that is a copy of any message of the two raw files (either side of the split).
   */
  segmented: RealExample[];
  /** Labelled segmented rows left out as copies of a raw message. */
  segmentedCopies: number;
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
  const sourceRows = readSourceRows(dataDir);
  const texts = new Map(sourceRows.map((r) => [keyOf(r), r]));
  const out: RealSet = { train: [], test: [], segmented: [], segmentedCopies: 0, missing: 0, skipped: skipped.length };
  const segmentedLabels = labels.filter((l) => l.src === SEGMENTED_SRC);
  if (segmentedLabels.length) readSegmentedLabels(dataDir, segmentedLabels, sourceRows, out);
  for (const label of labels) {
    if (label.src === SEGMENTED_SRC) continue;
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

function readSegmentedLabels(
  dataDir: string,
  labels: readonly RealLabel[],
  sourceRows: readonly { text: string }[],
  out: RealSet,
): void {
  if (!existsSync(join(dataDir, SEGMENTED_FILE))) {
    out.missing += labels.length;
    return;
  }
  const rows = readSegmentedRows(dataDir);
  const found = labels.filter((l) => rows[Number(l.id)] !== undefined);
  out.missing += labels.length - found.length;
  // A copy of a held-out message would leak it; a copy of a training one adds nothing.
  const copies = copiesOfRaw(
    found.map((l) => rows[Number(l.id)]),
    sourceRows,
  );
  found.forEach((label, i) => {
    if (copies[i].length) {
      out.segmentedCopies++;
      return;
    }
    const row = rows[Number(label.id)];
    out.segmented.push({ text: segmentedText(row.tokens), label: label.minor, real: label, tipdm: row.label });
  });
}
