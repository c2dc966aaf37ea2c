import { seededRandom } from '../classifier/random.js';

/**
 * Near-duplicate detection for splits: reposts and near-copies of a message must land
 * on the same side, or a test message is "seen" in training through its copy.
 * Texts are reduced to letters, digits and Han (so punctuation, spaces and the
 * segmented file's spacing do not matter), cut into character shingles, and compared
 * by Jaccard similarity; MinHash with banded LSH finds the candidate pairs.
 */

const SHINGLE = 3;
const HASHES = 64;
const BANDS = 16;
const ROWS = HASHES / BANDS;

export const DEFAULT_JACCARD = 0.5;

/** Only the characters that carry content, lower-cased. */
export function dedupText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function fnv(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Hashed character shingles of the reduced text (the whole text when shorter). */
export function shingles(text: string, size = SHINGLE): Uint32Array {
  const t = dedupText(text);
  if (t.length === 0) return new Uint32Array(0);
  if (t.length <= size) return Uint32Array.of(fnv(t, 0, t.length));
  const set = new Set<number>();
  for (let i = 0; i + size <= t.length; i++) set.add(fnv(t, i, i + size));
  return Uint32Array.from(set).sort();
}

export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

/** Share of `a`'s shingles that are also in `b`: how much of a is contained in b. */
export function containment(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0) return 0;
  const set = new Set(b);
  let common = 0;
  for (const x of a) if (set.has(x)) common++;
  return common / a.length;
}

function minhashParams(): { a: Uint32Array; b: Uint32Array } {
  const random = seededRandom(0x5eed);
  const a = new Uint32Array(HASHES);
  const b = new Uint32Array(HASHES);
  for (let k = 0; k < HASHES; k++) {
    a[k] = (Math.floor(random() * 0xffffffff) | 1) >>> 0;
    b[k] = Math.floor(random() * 0xffffffff) >>> 0;
  }
  return { a, b };
}

function signature(sh: Uint32Array, params: { a: Uint32Array; b: Uint32Array }): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (const x of sh) {
    for (let k = 0; k < HASHES; k++) {
      let h = (Math.imul(x, params.a[k]) + params.b[k]) >>> 0;
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d) >>> 0;
      if (h < sig[k]) sig[k] = h;
    }
  }
  return sig;
}

class UnionFind {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Groups texts whose shingle Jaccard similarity is at least `threshold` (transitively).
 * Returns, for each text, the index of its group's first member.
 */
export function nearDuplicateGroups(texts: readonly string[], threshold = DEFAULT_JACCARD): number[] {
  const params = minhashParams();
  const sh = texts.map((t) => shingles(t));
  const uf = new UnionFind(texts.length);
  const buckets = new Map<string, number[]>();
  sh.forEach((s, i) => {
    if (s.length === 0) return;
    const sig = signature(s, params);
    for (let band = 0; band < BANDS; band++) {
      const key = `${band}:${Array.from(sig.subarray(band * ROWS, (band + 1) * ROWS)).join(',')}`;
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    }
  });
  const checked = new Set<number>();
  for (const list of buckets.values()) {
    for (let x = 1; x < list.length; x++) {
      for (let y = 0; y < x; y++) {
        const i = list[y];
        const j = list[x];
        const pair = i * texts.length + j;
        if (checked.has(pair)) continue;
        checked.add(pair);
        if (uf.find(i) !== uf.find(j) && jaccard(sh[i], sh[j]) >= threshold) uf.union(i, j);
      }
    }
  }
  return texts.map((_, i) => uf.find(i));
}

// The segmented file dropped stop words and digits upstream, so a copy of a raw row
// shares most, not all, of its shingles: compare Han characters only, by containment.
const HAN_ONLY = /[^\p{Script=Han}]+/gu;
/** A segmented row is a copy of a raw one when this share of either's Han 3-shingles is in the other. */
const COPY_CONTAINMENT = 0.5;

/** For each segmented row, the raw rows it is a copy of (Han 3-shingles ≥ 50% contained either way). */
export function copiesOfRaw(segmented: readonly { tokens: string[] }[], raw: readonly { text: string }[]): number[][] {
  const rawShingles = raw.map((r) => shingles(r.text.replace(HAN_ONLY, ''), 3));
  const postings = new Map<number, number[]>();
  rawShingles.forEach((sh, i) =>
    sh.forEach((x) => {
      const list = postings.get(x);
      if (list) list.push(i);
      else postings.set(x, [i]);
    }),
  );
  return segmented.map((row) => {
    const sh = shingles(row.tokens.join('').replace(HAN_ONLY, ''), 3);
    const hits = new Map<number, number>();
    for (const x of sh) for (const i of postings.get(x) ?? []) hits.set(i, (hits.get(i) ?? 0) + 1);
    const out: number[] = [];
    for (const [i, n] of hits) {
      if (n / sh.length >= COPY_CONTAINMENT || containment(rawShingles[i], sh) >= COPY_CONTAINMENT) out.push(i);
    }
    return out;
  });
}
