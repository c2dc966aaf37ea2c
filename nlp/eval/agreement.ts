/** Cohen's kappa: agreement beyond what the two passes' own label shares give by chance. */
export function cohensKappa(pairs: readonly [string, string][]): number {
  const n = pairs.length;
  if (n === 0) return 0;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let observed = 0;
  for (const [x, y] of pairs) {
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
    if (x === y) observed++;
  }
  let expected = 0;
  for (const [label, count] of a) expected += (count / n) * ((b.get(label) ?? 0) / n);
  const po = observed / n;
  return expected === 1 ? 1 : (po - expected) / (1 - expected);
}
