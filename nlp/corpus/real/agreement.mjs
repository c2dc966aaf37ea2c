// Agreement between the first labelling pass (labels.jsonl) and the independent second pass (labels-pass2.jsonl)
// on the rows both labelled (#12). Prints only codes and counts, never message text.
// Usage: node nlp/corpus/real/agreement.mjs
import { readFileSync } from 'node:fs';

const read = (f) =>
  new Map(
    readFileSync(new URL(f, import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .map((r) => [`${r.src}:${r.id}`, r]),
  );
const p1 = read('./labels.jsonl');
const p2 = read('./labels-pass2.jsonl');
const pairs = [...p2].filter(([k]) => p1.has(k)).map(([k, b]) => ({ k, a: p1.get(k), b }));
const names = new Map(
  JSON.parse(readFileSync(new URL('../../taxonomy/cities/default.json', import.meta.url), 'utf8')).categories.map(
    (c) => [c.code, c.name],
  ),
);

/** Cohen's kappa of two label sequences. */
function kappa(xs, ys) {
  const n = xs.length;
  const po = xs.filter((x, i) => x === ys[i]).length / n;
  const cats = new Set([...xs, ...ys]);
  let pe = 0;
  for (const c of cats) pe += (xs.filter((x) => x === c).length / n) * (ys.filter((y) => y === c).length / n);
  return (po - pe) / (1 - pe);
}
const cg = (r) => (r.kind === '非城管' ? '非城管' : '城管');
const rate = (f, rows = pairs) => `${rows.filter(f).length}/${rows.length} = ${(rows.filter(f).length / rows.length).toFixed(3)}`;

console.log(`rows in both passes: ${pairs.length} (second pass ${p2.size})`);
console.log(`城管 vs 非城管:        ${rate(({ a, b }) => cg(a) === cg(b))}  kappa ${kappa(pairs.map((p) => cg(p.a)), pairs.map((p) => cg(p.b))).toFixed(3)}`);
console.log(`kind (部件/事件/非城管): ${rate(({ a, b }) => a.kind === b.kind)}  kappa ${kappa(pairs.map((p) => p.a.kind), pairs.map((p) => p.b.kind)).toFixed(3)}`);
console.log(`kind + 大类:           ${rate(({ a, b }) => a.kind === b.kind && a.major === b.major)}`);
console.log(`小类:                  ${rate(({ a, b }) => a.minor === b.minor)}  kappa ${kappa(pairs.map((p) => p.a.minor), pairs.map((p) => p.b.minor)).toFixed(3)}`);
const both = (f) => pairs.filter(({ a, b }) => f(a) && f(b));
console.log(`小类 where both 城管:   ${rate(({ a, b }) => a.minor === b.minor, both((r) => r.kind !== '非城管'))}`);
console.log(`agency where both 非城管: ${rate(({ a, b }) => a.minor === b.minor, both((r) => r.kind === '非城管'))}`);
console.log(`小类 where neither unsure: ${rate(({ a, b }) => a.minor === b.minor, both((r) => !r.unsure))}`);
console.log(`first pass: 城管 ${pairs.filter((p) => cg(p.a) === '城管').length}; second pass: 城管 ${pairs.filter((p) => cg(p.b) === '城管').length}`);

const conf = new Map();
for (const { a, b } of pairs)
  if (a.minor !== b.minor) {
    const key = `${a.minor} ${names.get(a.minor)} → ${b.minor} ${names.get(b.minor)}`;
    conf.set(key, (conf.get(key) ?? 0) + 1);
  }
console.log('\ndisagreements on 小类 (first pass → second pass):');
for (const [k, n] of [...conf].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))) console.log(`${String(n).padStart(3)}  ${k}`);
