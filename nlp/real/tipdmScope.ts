import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The TipDM competition's own label table (一级 / 二级 / 三级分类): which matters each first-level
 * label covers, e.g. 城乡建设 › 城市建设和市政管理 › 环境卫生. It is the labellers' scope, not a
 * citizen's message, and it stays in the data directory like the messages.
 */
export const TIPDM_SCOPE_FILE = 'teddy2020_label_taxonomy.csv';

export interface ScopeEntry {
  first: string;
  second: string;
  third: string;
}

/** One CSV line's fields; quoted fields may hold commas and doubled quotes. */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/** The table's rows (its header line left out); none when the file is absent. */
export function readTipdmScope(dataDir: string): ScopeEntry[] {
  const path = join(dataDir, TIPDM_SCOPE_FILE);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim())
    .map(csvFields)
    .filter((f) => f.length >= 3 && f[0] && f[1])
    .map(([first, second, third]) => ({ first, second, third }));
}

/**
 * Training rows made of the table: for each entry under one of `labels`, the names of its second
 * and third level ("城市建设和市政管理 环境卫生"; a third level of 其他 says nothing and is left out),
 * each distinct text once, labelled with its first level.
 */
export function scopeExamples(
  entries: readonly ScopeEntry[],
  labels: ReadonlySet<string>,
): { text: string; label: string }[] {
  const seen = new Set<string>();
  const rows: { text: string; label: string }[] = [];
  for (const e of entries) {
    if (!labels.has(e.first)) continue;
    const text = !e.third || e.third === '其他' ? e.second : `${e.second} ${e.third}`;
    const key = `${e.first}\u0000${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ text, label: e.first });
  }
  return rows;
}
