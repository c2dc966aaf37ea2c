import { seededRandom } from './random.js';

/**
 * How an ensemble's members' class probabilities are combined: `mean`, their arithmetic
 * mean; `logmean`, the mean of their logarithms (a geometric mean), renormalised.
 */
export type EnsembleMode = 'mean' | 'logmean';

export const ENSEMBLE_MODES: readonly EnsembleMode[] = ['mean', 'logmean'];

// A member sure a class is impossible (p underflowed to 0) vetoes it in the geometric mean
// only as far as this floor, not absolutely.
const LOG_FLOOR = 1e-300;

/** The members' probability vectors (same classes, same order) combined into one that sums to 1. */
export function averageProbabilities(members: readonly Float64Array[], mode: EnsembleMode = 'mean'): Float64Array {
  if (members.length === 0) throw new Error('an ensemble needs at least one member');
  const classes = members[0].length;
  for (const p of members) {
    if (p.length !== classes) throw new Error(`members disagree on the classes (${p.length} vs ${classes})`);
  }
  const out = new Float64Array(classes);
  if (mode === 'mean') {
    for (const p of members) for (let c = 0; c < classes; c++) out[c] += p[c];
    for (let c = 0; c < classes; c++) out[c] /= members.length;
    return out;
  }
  for (const p of members) for (let c = 0; c < classes; c++) out[c] += Math.log(Math.max(p[c], LOG_FLOOR));
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, (out[c] /= members.length));
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += out[c] = Math.exp(out[c] - max);
  for (let c = 0; c < classes; c++) out[c] /= sum;
  return out;
}

/** The index of the largest value (the first, on ties). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return best;
}

/**
 * A bootstrap sample as weights (bagging): n rows drawn with replacement from the n rows,
 * seeded; each row's weight is multiplied by the number of times it was drawn (0 leaves it out).
 */
export function bootstrapWeights(weights: readonly number[], seed: number): number[] {
  const random = seededRandom(seed);
  const drawn = new Array<number>(weights.length).fill(0);
  for (let k = 0; k < weights.length; k++) drawn[Math.floor(random() * weights.length)]++;
  return weights.map((w, i) => w * drawn[i]);
}
