import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the citizens' messages live: they are not ours to copy into the repo, so tools
 * read them from here. NLP_DATA_DIR wins over the default ../shared/data/complaints
 * beside the project's root; an explicit --data-dir wins over both.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../shared/data/complaints/', import.meta.url));

export function resolveDataDir(explicit?: string): string {
  return explicit ?? process.env.NLP_DATA_DIR ?? DEFAULT_DATA_DIR;
}

/** The two files whose rows the real labels point at, by their `src`. */
export const SOURCES = {
  unlabeled: 'teddy2020_unlabeled.jsonl',
  train_raw: 'teddy2020_train_raw.jsonl',
} as const;

export type Source = keyof typeof SOURCES;

export const SEGMENTED_FILE = 'teddy2020_train_segmented.jsonl';

export interface SourceRow {
  src: Source;
  id: string;
  text: string;
  /** The TipDM first-level label, for train_raw rows. */
  tipdm?: string;
}

/** "src:id", the key that joins labels, texts and the split. */
export function keyOf(row: { src: string; id: string }): string {
  return `${row.src}:${row.id}`;
}

export function hasTexts(dataDir: string): boolean {
  return Object.values(SOURCES).every((file) => existsSync(join(dataDir, file)));
}

function readLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every message of both sources, in file order. */
export function readSourceRows(dataDir: string): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const [src, file] of Object.entries(SOURCES) as [Source, string][]) {
    for (const raw of readLines(join(dataDir, file))) {
      if (raw.id === undefined || typeof raw.text !== 'string') continue;
      const row: SourceRow = { src, id: String(raw.id), text: raw.text };
      if (typeof raw.label === 'string') row.tipdm = raw.label;
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Our labels name a segmented row by src `segmented` and id = its 0-based position among the
 * file's non-empty lines (the file has no ids of its own and is fixed).
 */
export const SEGMENTED_SRC = 'segmented';

/** A segmented row's text as the classifier reads it: its tokens joined without spaces. */
export const segmentedText = (tokens: readonly string[]) => tokens.join('');

/** The segmented TipDM rows (no ids): tokens and label, in file order. */
export function readSegmentedRows(dataDir: string): { tokens: string[]; label: string }[] {
  return readLines(join(dataDir, SEGMENTED_FILE)).map((raw) => ({
    tokens: String(raw.tokens ?? '')
      .split(/\s+/)
      .filter(Boolean),
    label: String(raw.label ?? ''),
  }));
}
