// Second, independent labelling pass (#12): picks 200 of the first-pass rows by sha1(`pass2:src:id`) and prints
// their texts for relabelling. It keeps only {src,id} from labels.jsonl, so the second labeller never sees a
// first-pass label. Texts come from the data directory; nothing is copied into the repo.
// Usage: node nlp/corpus/real/pass2.mjs [--data-dir DIR] [--n 200] [--from 0] [--batch 50] [--len 200] [--full ID]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readRows } from './sample.mjs';

const arg = (k, d) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1] : d;
};
const sha1 = (s) => createHash('sha1').update(s).digest('hex');

/** The 200 rows of the second pass, in a fixed order: only src and id leave this function. */
export function pass2Rows(n = 200) {
  return readFileSync(new URL('./labels.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const { src, id } = JSON.parse(l);
      return { src, id: String(id), key: sha1(`pass2:${src}:${id}`) };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, n)
    .map(({ src, id }) => ({ src, id }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dataDir = arg('--data-dir', '../shared/data/complaints');
  const text = new Map();
  for (const src of ['train_raw', 'unlabeled'])
    for (const r of readRows(dataDir, `teddy2020_${src}.jsonl`)) text.set(`${src}:${r.id}`, r.text);
  const rows = pass2Rows(Number(arg('--n', '200')));
  const full = arg('--full', '');
  if (full) {
    for (const r of rows.filter((x) => x.id === full)) console.log(`${r.src}:${r.id}| ${text.get(`${r.src}:${r.id}`)}`);
  } else {
    const from = Number(arg('--from', '0'));
    const len = Number(arg('--len', '200'));
    rows.slice(from, from + Number(arg('--batch', '50'))).forEach((r, i) => {
      const t = (text.get(`${r.src}:${r.id}`) ?? '').replace(/\s+/g, ' ');
      console.log(`${from + i} ${r.src}:${r.id}| ${t.length > len ? t.slice(0, len) + '…' : t}`);
    });
  }
}
