// Builds the labelling queue: which real messages get labelled, and how each was sampled.
// Reproducible: random = unlabeled ids sorted by sha1(id), first 600; keyword = all (or the first N) of the
// remaining unlabeled rows whose text matches a 城管 keyword, in the same sha1 order (first pass: all 1,474).
// Usage: node nlp/corpus/real/sample.mjs [--data-dir DIR] [--keyword N]  → prints id\tsrc\tsample lines
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const KEYWORDS =
  /城管|占道|摆摊|摊贩|夜市|噪音|噪声|扰民|垃圾|违建|违章建|私搭|乱搭|搭建|井盖|路灯|路面|积水|渣土|扬尘|广告|乱停|停车|绿化|树|油烟|烧烤|黑车|拉客|施工|坑|下水道|排水|公厕|厕所|小贩|马路市场|乱堆|遗撒|晾晒/;

const sha1 = (s) => createHash('sha1').update(s).digest('hex');

export function readRows(dataDir, file) {
  return readFileSync(join(dataDir, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

export function buildQueue(dataDir, keywordCount = Infinity) {
  const train = readRows(dataDir, 'teddy2020_train_raw.jsonl');
  const unl = readRows(dataDir, 'teddy2020_unlabeled.jsonl');
  const bySha = [...unl].sort((a, b) => (sha1(String(a.id)) < sha1(String(b.id)) ? -1 : 1));
  const random = bySha.slice(0, 600).map((r) => ({ id: String(r.id), src: 'unlabeled', sample: 'random' }));
  const keyword = bySha
    .slice(600)
    .filter((r) => KEYWORDS.test(r.text))
    .slice(0, keywordCount)
    .map((r) => ({ id: String(r.id), src: 'unlabeled', sample: 'keyword' }));
  const all = [...train]
    .sort((a, b) => (sha1(String(a.id)) < sha1(String(b.id)) ? -1 : 1))
    .map((r) => ({ id: String(r.id), src: 'train_raw', sample: 'all' }));
  // Interleave in blocks of 100 so that any prefix of the labelled file is a balanced mix.
  const lists = [keyword, all, random];
  const out = [];
  for (let i = 0; lists.some((l) => i < l.length); i += 100) for (const l of lists) out.push(...l.slice(i, i + 100));
  // Rounds 2 and 3 (queue2.ts wrote them: random2, uncertain, uncertain3 ids of the pool left after round 1).
  for (const round of [2, 3]) {
    const q = new URL(`./queue${round}.tsv`, import.meta.url);
    if (!existsSync(q)) continue;
    for (const line of readFileSync(q, 'utf8').split('\n').filter(Boolean)) {
      const [id, src, sample] = line.split('\t');
      out.push({ id, src, sample });
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k, d) => {
    const i = process.argv.indexOf(k);
    return i > 0 ? process.argv[i + 1] : d;
  };
  const q = buildQueue(arg('--data-dir', '../shared/data/complaints'), Number(arg("--keyword", "Infinity")));
  for (const r of q) console.log(`${r.id}\t${r.src}\t${r.sample}`);
}
