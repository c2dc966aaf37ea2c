// The second labelling round's queue (issue #12, 2026-12-04): which of the still unlabelled real
// messages get labelled next, written to queue2.tsv (id, src, sample; ids only, no text).
//   random2:   the unlabelled pool (every unlabelled message, either side of the split) in
//              sha1("round2:" + id) order, the first RANDOM2 — a random share of what is left.
//   uncertain: unlabelled messages on the *training* side of the split only (held-out messages are
//              never chosen by a model's prediction), not in random2, that the committed model is
//              least sure are 非城管: P(非城管) < UNCERTAIN_BELOW, lowest first, at most UNCERTAIN.
// The pool holds no message matching sample.mjs's KEYWORDS (round 1 labelled all of those), so it is
// mostly 非城管; the uncertain share looks there for the 城管 messages written without those words.
// Round 3 (`--round 3`, queue3.tsv, same day, same committed model): no random share; `uncertain3` =
// the next tier of training-side messages, UNCERTAIN_FROM ≤ P(非城管) < 0.97, lowest first.
// Usage: npx tsx nlp/corpus/real/queue2.ts [--data-dir DIR] [--round 3]   (model: nlp/model/model.json as committed
// before the round-2 labels, 341ef37)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createClassifier } from '../../classifier/classify.js';
import { deserializeStaged } from '../../classifier/staged.js';
import { readSourceRows, resolveDataDir } from '../../real/data.js';
import { loadDefaultTaxonomy } from '../../taxonomy/load.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const round = Number(arg('--round') ?? 2);
const RANDOM2 = round === 2 ? 150 : 0;
const UNCERTAIN = 250;
const UNCERTAIN_FROM = round === 2 ? 0 : 0.9;
const UNCERTAIN_BELOW = round === 2 ? 0.9 : 0.97;

const dataDir = resolveDataDir(arg('--data-dir'));
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const labelled = new Set(
  readFileSync(new URL('./labels.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { src: string; id: string })
    .map((r) => `${r.src}:${r.id}`),
);
const split = JSON.parse(readFileSync(new URL('./split.json', import.meta.url), 'utf8')) as { test: string[] };
const test = new Set(split.test);

const pool = readSourceRows(dataDir).filter((r) => !labelled.has(`${r.src}:${r.id}`));
pool.sort((a, b) => (sha1(`round2:${a.id}`) < sha1(`round2:${b.id}`) ? -1 : 1));
const random2 = pool.slice(0, RANDOM2);

const { model } = deserializeStaged(readFileSync(new URL('../../model/model.json', import.meta.url), 'utf8'));
const classifier = createClassifier(model, loadDefaultTaxonomy());
const uncertain = pool
  .slice(RANDOM2)
  .filter((r) => !test.has(`${r.src}:${r.id}`))
  .map((r) => ({ r, p: classifier.classify(r.text).pOther ?? 1 }))
  .filter((x) => x.p >= UNCERTAIN_FROM && x.p < UNCERTAIN_BELOW)
  .sort((a, b) => a.p - b.p || (a.r.id < b.r.id ? -1 : 1))
  .slice(0, UNCERTAIN)
  .map((x) => x.r);

const lines = [
  ...random2.map((r) => `${r.id}\t${r.src}\trandom2`),
  ...uncertain.map((r) => `${r.id}\t${r.src}\t${round === 2 ? 'uncertain' : `uncertain${round}`}`),
];
writeFileSync(new URL(`./queue${round}.tsv`, import.meta.url), lines.join('\n') + '\n');
console.log(`pool ${pool.length}; random2 ${random2.length}; uncertain ${uncertain.length}`);
