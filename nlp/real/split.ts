import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { keyOf, type SourceRow } from './data.js';
import { DEFAULT_JACCARD, nearDuplicateGroups } from './dedup.js';

/**
 * The held-out split of the real messages. Every message of both sources (labelled or
 * not) is grouped with its near-copies; a group goes to test when a hash of its key
 * (the smallest "src:id" in it) falls under the held-out share. The assignment of a
 * message never depends on which others are labelled, so the split stays put as labels
 * arrive, and a repost is always on its original's side. The hash is independent of
 * the label, so each kind is held out in the same expected share (stratified in
 * expectation; the CLI prints the realised shares).
 */

export const HELD_OUT_SHARE = 0.28;
export const SPLIT_SALT = 'chengguan-real-split/1';

export interface SplitFile {
  method: string;
  salt: string;
  heldOutShare: number;
  jaccard: number;
  /** "src:id" of every message in a group of two or more, mapped to its group key. */
  groups: Record<string, string>;
  test: string[];
}

export function groupKeys(rows: readonly SourceRow[], threshold = DEFAULT_JACCARD): Map<string, string> {
  const groups = nearDuplicateGroups(
    rows.map((r) => r.text),
    threshold,
  );
  const members = new Map<number, string[]>();
  rows.forEach((row, i) => {
    const list = members.get(groups[i]) ?? [];
    list.push(keyOf(row));
    members.set(groups[i], list);
  });
  const out = new Map<string, string>();
  for (const list of members.values()) {
    const key = [...list].sort()[0];
    for (const k of list) out.set(k, key);
  }
  return out;
}

export function isHeldOut(groupKey: string, share = HELD_OUT_SHARE, salt = SPLIT_SALT): boolean {
  const h = createHash('sha256').update(`${salt}\u0000${groupKey}`).digest();
  return h.readUInt32BE(0) / 0x100000000 < share;
}

/** The split of every message in the data: groups and held-out keys. */
export function computeSplit(rows: readonly SourceRow[], threshold = DEFAULT_JACCARD): SplitFile {
  const keys = groupKeys(rows, threshold);
  const groups: Record<string, string> = {};
  const sizes = new Map<string, number>();
  for (const g of keys.values()) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const test: string[] = [];
  for (const [k, g] of [...keys].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if ((sizes.get(g) ?? 1) > 1) groups[k] = g;
    if (isHeldOut(g)) test.push(k);
  }
  return {
    method: `char-${3}-shingle Jaccard >= ${threshold} groups (MinHash LSH, then exact); group held out when sha256(salt, group key) < share`,
    salt: SPLIT_SALT,
    heldOutShare: HELD_OUT_SHARE,
    jaccard: threshold,
    groups,
    test,
  };
}

export interface Split {
  file: SplitFile;
  /** Held out: never trained on, never used to choose anything. */
  isTest(key: string): boolean;
  groupOf(key: string): string;
}

export function readSplit(path: string): Split | undefined {
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as SplitFile;
  const test = new Set(file.test);
  return {
    file,
    // Every message of the data is listed when the split is made, so a key not in test is training.
    isTest: (key) => test.has(key),
    groupOf: (key) => file.groups[key] ?? key,
  };
}
