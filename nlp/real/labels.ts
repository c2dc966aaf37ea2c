import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kind, Taxonomy } from '../taxonomy/schema.js';
import { keyOf } from './data.js';

export const REAL_DIR = fileURLToPath(new URL('../corpus/real/', import.meta.url));
export const DEFAULT_LABELS_PATH = fileURLToPath(new URL('../corpus/real/labels.jsonl', import.meta.url));
export const DEFAULT_SPLIT_PATH = fileURLToPath(new URL('../corpus/real/split.json', import.meta.url));

/** The real labels and split that belong with a corpus directory: its real/ folder. */
export function realPaths(corpusDir: string): { labels: string; split: string } {
  return { labels: join(corpusDir, 'real', 'labels.jsonl'), split: join(corpusDir, 'real', 'split.json') };
}

/** One row of our labels for a real message, resolved against the table. */
export interface RealLabel {
  key: string;
  src: string;
  id: string;
  sample?: string;
  kind: Kind;
  /** 大类 code. */
  major: string;
  /** 小类 code. */
  minor: string;
  multi: boolean;
  unsure: boolean;
}

export interface LabelRead {
  labels: RealLabel[];
  skipped: { line: number; reason: string }[];
}

const KINDS = new Set<string>(['部件', '事件', '非城管']);

function resolve(taxonomy: Taxonomy, value: unknown, level: '大类' | '小类', kind: string) {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  const byCode = taxonomy.byCode(text);
  if (byCode?.level === level) return byCode;
  // Names: 市容环境 is a 大类 of both 部件 and 事件, so the kind picks one.
  const byName = taxonomy.byName(text, kind as Kind);
  return byName?.level === level ? byName : undefined;
}

/**
 * Reads labels.jsonl ({id, src, sample, kind, major, minor, multi, unsure}; major and
 * minor by code or name). A line being written (cut short) or naming a category the
 * table lacks is skipped and reported; the last label of an id wins.
 */
export function readRealLabels(path: string, taxonomy: Taxonomy): LabelRead {
  const out: LabelRead = { labels: [], skipped: [] };
  if (!existsSync(path)) return out;
  const byKey = new Map<string, RealLabel>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.skipped.push({ line: i + 1, reason: 'not valid JSON' });
        return;
      }
      const kind = String(raw.kind ?? '');
      if (!KINDS.has(kind) || raw.id === undefined || typeof raw.src !== 'string') {
        out.skipped.push({ line: i + 1, reason: `bad kind, id or src` });
        return;
      }
      let minor = resolve(taxonomy, raw.minor, '小类', kind);
      // A 非城管 label may name only its agency group; the table's 小类 carry the agency.
      if (!minor && kind === '非城管') minor = resolve(taxonomy, raw.major, '小类', kind);
      if (!minor || minor.kind !== kind) {
        out.skipped.push({ line: i + 1, reason: `no ${kind} 小类 ${String(raw.minor)}` });
        return;
      }
      const major = taxonomy.majorOf(minor.code)!;
      const label: RealLabel = {
        key: keyOf({ src: raw.src, id: String(raw.id) }),
        src: raw.src,
        id: String(raw.id),
        sample: typeof raw.sample === 'string' ? raw.sample : undefined,
        kind: minor.kind,
        major: major.code,
        minor: minor.code,
        multi: raw.multi === true,
        unsure: raw.unsure === true,
      };
      byKey.set(label.key, label);
    });
  out.labels = [...byKey.values()];
  return out;
}
