// Prints the next batch of queued messages that have no label yet, truncated, for labelling.
// Texts are read from the data directory; nothing is copied into the repo.
// Usage: node nlp/corpus/real/show.mjs [--data-dir DIR] [--n 90] [--len 160] [--ids 1,2,3 --full]
import { existsSync, readFileSync } from 'node:fs';
import { buildQueue, readRows } from './sample.mjs';

const arg = (k, d) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1] : d;
};
const dataDir = arg('--data-dir', '../shared/data/complaints');
const n = Number(arg('--n', '90'));
const len = process.argv.includes('--full') ? Infinity : Number(arg('--len', '160'));
const labelsFile = new URL('./labels.jsonl', import.meta.url);

const text = new Map();
for (const src of ['train_raw', 'unlabeled'])
  for (const r of readRows(dataDir, `teddy2020_${src}.jsonl`)) text.set(`${src}:${r.id}`, r.text);

const done = new Set(
  existsSync(labelsFile)
    ? readFileSync(labelsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .map((r) => `${r.src}:${r.id}`)
    : [],
);
const ids = arg('--ids', '');
const rows = ids
  ? ids.split(',').map((id) => ({ id, src: text.has(`unlabeled:${id}`) ? 'unlabeled' : 'train_raw' }))
  : buildQueue(dataDir)
      .filter((r) => !done.has(`${r.src}:${r.id}`))
      .slice(0, n);
for (const r of rows) {
  const t = (text.get(`${r.src}:${r.id}`) ?? '').replace(/\s+/g, ' ');
  console.log(`${r.id}| ${t.length > len ? t.slice(0, len) + '…' : t}`);
}
