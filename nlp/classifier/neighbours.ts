/**
 * A nearest-neighbour classifier over the same hashed features as the linear model: each training
 * row is a sub-linear TF-IDF vector, L2-normalised (the linear model's `vectorize`), kept in an
 * inverted index; a text's class probabilities are the votes of its k most similar rows (cosine),
 * each vote its similarity to the power `sharpen` times the row's training weight, smoothed.
 */
import { vectorize } from './model.js';
import { buildIndex, prepare } from './train.js';

export interface NeighbourOptions {
  k: number;
  /** Similarity to this power weighs a neighbour's vote. */
  sharpen: number;
  /** This share of the votes' total is spread evenly over the classes before normalising. */
  smoothing: number;
}

export const DEFAULT_NEIGHBOURS: NeighbourOptions = { k: 20, sharpen: 4, smoothing: 0.05 };

export interface NeighbourModel {
  labels: string[];
  probabilities(counts: Map<number, number>): Float64Array;
}

export function trainNeighbours(
  counts: readonly Map<number, number>[],
  labels: readonly string[],
  weights: readonly number[],
  options: Partial<NeighbourOptions> = {},
): NeighbourModel {
  const { k, sharpen, smoothing } = { ...DEFAULT_NEIGHBOURS, ...options };
  const data = prepare([...counts], labels);
  const classes = data.labels;
  const classOf = data.y;
  const n = counts.length;
  // Every feature of the training rows (none dropped) and its IDF, as the linear model's index has them.
  const { index, idf } = buildIndex(
    data,
    counts.map((_, i) => i),
    { minDf: 1, maxFeatures: 0 },
  );
  // The inverted index: per feature row, the training rows that have it and their values.
  const vectors = counts.map((c) => vectorize(c, index, idf));
  const features = idf.length;
  const postingLength = new Int32Array(features);
  for (const v of vectors) for (const r of v.idx) postingLength[r]++;
  const start = new Int32Array(features + 1);
  for (let r = 0; r < features; r++) start[r + 1] = start[r] + postingLength[r];
  const docs = new Int32Array(start[features]);
  const vals = new Float32Array(start[features]);
  const fill = start.slice(0, features);
  vectors.forEach((v, d) => {
    for (let j = 0; j < v.idx.length; j++) {
      const at = fill[v.idx[j]]++;
      docs[at] = d;
      vals[at] = v.val[j];
    }
  });

  const sims = new Float64Array(n);
  return {
    labels: classes,
    probabilities(c) {
      const x = vectorize(c, index, idf);
      sims.fill(0);
      for (let j = 0; j < x.idx.length; j++) {
        const r = x.idx[j];
        const v = x.val[j];
        for (let p = start[r]; p < start[r + 1]; p++) sims[docs[p]] += v * vals[p];
      }
      const top = topK(sims, k);
      const votes = new Float64Array(classes.length);
      let total = 0;
      for (const d of top) {
        const vote = Math.pow(Math.max(0, sims[d]), sharpen) * weights[d];
        votes[classOf[d]] += vote;
        total += vote;
      }
      const floor = total > 0 ? (smoothing * total) / classes.length : 1;
      let sum = 0;
      for (let i = 0; i < votes.length; i++) sum += votes[i] += floor;
      for (let i = 0; i < votes.length; i++) votes[i] /= sum;
      return votes;
    },
  };
}

/** The indices of the k largest values (any order among them). */
function topK(values: Float64Array, k: number): number[] {
  const heap: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] <= 0) continue;
    if (heap.length < k) {
      heap.push(i);
      if (heap.length === k) heap.sort((a, b) => values[a] - values[b]);
    } else if (values[i] > values[heap[0]]) {
      // Replace the smallest and keep the list sorted ascending (k is small).
      let j = 1;
      while (j < k && values[heap[j]] < values[i]) {
        heap[j - 1] = heap[j];
        j++;
      }
      heap[j - 1] = i;
    }
  }
  return heap;
}
