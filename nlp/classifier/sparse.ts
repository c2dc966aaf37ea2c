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

/** Keeps the weights whose size is above `tolerance` × the largest of their row. */
export function sparseWeights(model: Pick<LinearModel, 'weights' | 'bias'>, tolerance: number): SparseWeights {
  const classes = model.bias.length;
  const rows = classes === 0 ? 0 : model.weights.length / classes;
  const start = new Int32Array(rows + 1);
  const keptClasses: number[] = [];
  const kept: number[] = [];
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < classes; c++) max = Math.max(max, Math.abs(model.weights[r * classes + c]));
    for (let c = 0; c < classes; c++) {
      const w = model.weights[r * classes + c];
      if (w !== 0 && Math.abs(w) > tolerance * max) {
        keptClasses.push(c);
        kept.push(w);
      }
    }
    start[r + 1] = kept.length;
  }
  return { start, classes: Uint16Array.from(keptClasses), weights: Float32Array.from(kept), bias: model.bias };
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
