import type { LinearModel, SparseVector } from './model.js';

/**
 * A 小类 model's weights for reading, not training: per feature row only the weights
 * that can move a score, as (class, weight) pairs. Most of a row's 118 weights are
 * within a few hundredths of its largest; classify() spends less than half the time
 * on the rest. See nlp/README.md (Speed) for what dropping them changes.
 */
export interface SparseWeights {
  /** Row r's entries are start[r] .. start[r+1]-1. */
  start: Int32Array;
  classes: Uint16Array;
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * Keeps the weights whose size is above `tolerance` × the largest of their row. Runs at every start
 * (2.4 million weights): one pass finds each row's threshold and counts what it keeps, the second
 * copies into arrays of that size, so nothing grows and nothing is left for the collector.
 */
export function sparseWeights(model: Pick<LinearModel, 'weights' | 'bias'>, tolerance: number): SparseWeights {
  const { weights: dense, bias } = model;
  const classes = bias.length;
  const rows = classes === 0 ? 0 : dense.length / classes;
  const start = new Int32Array(rows + 1);
  const floor = new Float64Array(rows);
  for (let r = 0, at = 0; r < rows; r++, at += classes) {
    let max = 0;
    for (let c = 0; c < classes; c++) max = Math.max(max, Math.abs(dense[at + c]));
    floor[r] = tolerance * max;
    let n = 0;
    for (let c = 0; c < classes; c++) {
      const w = dense[at + c];
      if (w !== 0 && Math.abs(w) > floor[r]) n++;
    }
    start[r + 1] = start[r] + n;
  }
  const keptClasses = new Uint16Array(start[rows]);
  const kept = new Float32Array(start[rows]);
  for (let r = 0, at = 0, e = 0; r < rows; r++, at += classes) {
    for (let c = 0; c < classes; c++) {
      const w = dense[at + c];
      if (w !== 0 && Math.abs(w) > floor[r]) {
        keptClasses[e] = c;
        kept[e++] = w;
      }
    }
  }
  return { start, classes: keptClasses, weights: kept, bias };
}

export function sparseLogits(model: SparseWeights, x: SparseVector, out: Float64Array): Float64Array {
  const { start, classes, weights, bias } = model;
  for (let c = 0; c < bias.length; c++) out[c] = bias[c];
  for (let k = 0; k < x.idx.length; k++) {
    const row = x.idx[k];
    const v = x.val[k];
    for (let e = start[row], end = start[row + 1]; e < end; e++) out[classes[e]] += v * weights[e];
  }
  return out;
}
