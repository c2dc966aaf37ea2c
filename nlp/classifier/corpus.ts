import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonl, type DatasetRow } from '../eval/dataset.js';
import type { Taxonomy } from '../taxonomy/schema.js';
import type { Example } from './train.js';

export const DEFAULT_CORPUS_DIR = fileURLToPath(new URL('../corpus/', import.meta.url));

export interface SkippedRow {
  source: string;
  reason: string;
}

export interface Corpus {
  files: string[];
  /** Labelled by 小类 code. */
  examples: (Example & { source: string; style?: string })[];
  skipped: SkippedRow[];
}

/** Whatever *.jsonl files the directory holds right now, in a stable order. */
export function corpusFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

function resolveCode(row: DatasetRow, taxonomy: Taxonomy): string | SkippedRow {
  const byCode = row.code ? taxonomy.byCode(row.code) : undefined;
  if (byCode?.level === '小类') {
    if (byCode.name !== row.label) {
      return { source: row.source, reason: `code ${row.code} is ${byCode.name}, label says ${row.label}` };
    }
    return byCode.code;
  }
  const byName = taxonomy.byName(row.label);
  if (byName?.level === '小类' && !row.code) return byName.code;
  return {
    source: row.source,
    reason: `no 小类 ${row.code ?? ''} ${row.label} in table ${taxonomy.city}`.replace(/\s+/g, ' '),
  };
}

/**
 * Reads the corpus against a city table. Rows whose 小类 the table lacks, or whose
 * code and name disagree, are skipped and reported rather than guessed at.
 */
export function readCorpus(dir: string, taxonomy: Taxonomy): Corpus {
  const files = corpusFiles(dir);
  const corpus: Corpus = { files, examples: [], skipped: [] };
  for (const file of files) {
    let rows: DatasetRow[];
    try {
      rows = readJsonl(file);
    } catch (error) {
      // A file another engineer is still writing may end mid-line; its rows wait for the next run.
      corpus.skipped.push({ source: file, reason: (error as Error).message });
      continue;
    }
    for (const row of rows) {
      const code = resolveCode(row, taxonomy);
      if (typeof code !== 'string') {
        corpus.skipped.push(code);
        continue;
      }
      corpus.examples.push({ text: row.text, tokens: row.tokens, label: code, source: row.source, style: row.style });
    }
  }
  return corpus;
}

/**
 * Each 小类's name and synonyms as one-line examples, so a class the corpus has not
 * reached yet can still be predicted from its own words.
 */
export function seedExamples(taxonomy: Taxonomy): Example[] {
  return taxonomy
    .minors()
    .flatMap((minor) => [minor.name, ...minor.synonyms].map((text) => ({ text, label: minor.code })));
}

/** The table's 部件 names and synonyms (井盖, 路灯, 护栏…), longest first: the object words. */
export function objectWords(taxonomy: Taxonomy): string[] {
  const words = taxonomy
    .minors()
    .filter((m) => m.kind === '部件')
    .flatMap((m) => [m.name, ...m.synonyms]);
  return [...new Set(words)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** Changes when the corpus files, the table or the trainer's settings change. */
export function fingerprint(files: readonly string[], taxonomy: Taxonomy, settings: unknown): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(settings));
  hash.update(JSON.stringify(taxonomy.categories));
  for (const file of files) {
    hash.update(file.split(/[\\/]/).pop()!);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}
