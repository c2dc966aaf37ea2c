import { readFileSync } from 'node:fs';
import type { Example } from '../classifier/train.js';

export interface DatasetRow extends Example {
  /** Where the row came from, for error messages. */
  source: string;
  code?: string;
  style?: string;
}

/**
 * Reads JSONL rows with `label` and either `text` or `tokens` (a space-separated
 * string or an array). Blank lines are skipped; a row without a label or any text
 * stops the read with its file and line.
 */
export function readJsonl(file: string): DatasetRow[] {
  const rows: DatasetRow[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const where = `${file}:${i + 1}`;
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${where}: not valid JSON`);
      }
      const label = raw.label;
      if (typeof label !== 'string' || !label) throw new Error(`${where}: missing label`);
      const row: DatasetRow = { label, source: where };
      if (typeof raw.text === 'string') row.text = raw.text;
      else if (typeof raw.tokens === 'string') row.tokens = raw.tokens.split(/\s+/).filter(Boolean);
      else if (Array.isArray(raw.tokens)) row.tokens = raw.tokens.filter((t): t is string => typeof t === 'string');
      else throw new Error(`${where}: needs text or tokens`);
      if (typeof raw.code === 'string' || typeof raw.code === 'number') row.code = String(raw.code);
      if (typeof raw.style === 'string') row.style = raw.style;
      rows.push(row);
    });
  return rows;
}
