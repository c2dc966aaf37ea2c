import { seededRandom, shuffleInPlace } from './random.js';

/**
 * Assigns each item a fold in 0..k-1 so that every label is spread evenly over the
 * folds; seeded, so the same data always gives the same folds.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const list = byLabel.get(label) ?? [];
    list.push(i);
    byLabel.set(label, list);
  });
  const fold = new Array<number>(labels.length).fill(0);
  // Continuing the rotation across labels keeps small classes from all starting in fold 0.
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const i of shuffleInPlace(byLabel.get(label)!, random)) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}
