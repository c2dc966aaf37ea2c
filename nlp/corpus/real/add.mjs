// Appends labels given as compact lines on stdin: "ID CODE [m][u]" (CODE = 小类 code; m = multi, u = unsure).
// kind and 大类 come from the taxonomy; src and sample from the labelling queue (sample.mjs).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { buildQueue } from './sample.mjs';

const arg = (k, d) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1] : d;
};
const dataDir = arg('--data-dir', '../shared/data/complaints');
const labelsFile = new URL('./labels.jsonl', import.meta.url);
const tax = JSON.parse(readFileSync(new URL('../../taxonomy/cities/default.json', import.meta.url), 'utf8'));
const minor = new Map(tax.categories.filter((c) => c.level === '小类').map((c) => [c.code, c]));

const done = new Set(
  existsSync(labelsFile)
    ? readFileSync(labelsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .map((r) => `${r.src}:${r.id}`)
    : [],
);
const queue = buildQueue(dataDir);
const input = readFileSync(0, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
const out = [];
for (const line of input) {
  const [id, code, flags = ''] = line.split(/\s+/);
  const c = minor.get(code);
  if (!c) throw new Error(`unknown 小类 ${code} for ${id}`);
  const q = queue.find((r) => r.id === id && !done.has(`${r.src}:${r.id}`));
  if (!q) throw new Error(`${id} is not pending in the queue`);
  done.add(`${q.src}:${q.id}`);
  out.push(
    JSON.stringify({ id, src: q.src, sample: q.sample, kind: c.kind, major: c.parent, minor: code, multi: flags.includes('m'), unsure: flags.includes('u') }),
  );
}
appendFileSync(labelsFile, out.map((l) => l + '\n').join(''));
console.log(`appended ${out.length}; total ${done.size}`);
