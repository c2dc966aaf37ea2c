import type { Segmented } from './features.js';
import { SimdScorer } from './simd.js';
import { sparseLogits, sparseWeights, type SparseWeights } from './sparse.js';
import { FeatureVectorizer } from './vectorizer.js';
import {
  logits,
  modelFile,
  readModelFile,
  softmax,
  type LinearModel,
  type ModelFile,
  type SparseVector,
} from './model.js';

export const GATE_CITY = '城管';
export const GATE_OTHER = '非城管';

/**
 * The product model in two stages. The gate decides 城管 vs 非城管, trained as a
 * binary question over every labelled message and calibrated, so that a transfer to
 * another agency rests on that question's evidence; the 小类 model then ranks the 小类
 * within the side chosen. Both read the same features, hashed once.
 *
 * `sides`: how P(非城管) is made. `gate`: the gate's alone. `gate+minor`: the mean of
 * the gate's and the 小类 model's (the sum of its 非城管 小类), two calibrated models
 * over the same features that err on different messages (nlp/README.md: grouped 5-fold
 * over the real training part, kind+大类 0.888 → 0.896).
 */
export interface StagedModel {
  gate: LinearModel;
  minor: LinearModel;
  /** A transfer is suggested only when P(非城管) reaches this; between sideAt and it, review. */
  transferAt: number;
  /** The 非城管 side is chosen when P(非城管) reaches this (0.5 when absent). */
  sideAt?: number;
  sides?: 'gate' | 'gate+minor';
}

export const STAGED_FORMAT = 'chengguan-staged/1';

export interface StagedScores {
  /** P(非城管), as the model's `sides` says. */
  pOther: number;
  /** 小类 probabilities from the 小类 model, indexed like minor.labels. */
  minor: Float64Array;
}

// Trained on the same texts with the same settings, the two models keep the same
// features in the same order; then one vector serves both.
const sharedIndex = new WeakMap<StagedModel, boolean>();
const vectorizers = new WeakMap<LinearModel, FeatureVectorizer>();

const sparse = new WeakMap<LinearModel, SparseWeights>();

/**
 * Weights under 2% of their row's largest are left out when reading: on the 4,306
 * unlabelled messages the best 小类 stays the same for 99.95% of them and no
 * probability moves by more than 0.015, for less than half the multiplications.
 */
export const SPARSE_TOLERANCE = 0.02;

function sparseOf(model: LinearModel): SparseWeights {
  let weights = sparse.get(model);
  if (!weights) sparse.set(model, (weights = sparseWeights(model, SPARSE_TOLERANCE)));
  return weights;
}

const scorers = new WeakMap<LinearModel, (x: SparseVector, out: Float64Array) => Float64Array>();

/** The 小类 scores: WebAssembly SIMD where there is, the same sums in JavaScript elsewhere. */
function scorerOf(model: LinearModel): (x: SparseVector, out: Float64Array) => Float64Array {
  let scorer = scorers.get(model);
  if (!scorer) {
    const weights = sparseOf(model);
    const simd = SimdScorer.create(weights);
    scorer = simd ? (x, out) => simd.logits(x, out) : (x, out) => sparseLogits(weights, x, out);
    scorers.set(model, scorer);
  }
  return scorer;
}

function vectorizerOf(model: LinearModel): FeatureVectorizer {
  let vectorizer = vectorizers.get(model);
  if (!vectorizer) vectorizers.set(model, (vectorizer = new FeatureVectorizer(model.index, model.idf)));
  return vectorizer;
}

function sameIndex(model: StagedModel): boolean {
  let same = sharedIndex.get(model);
  if (same === undefined) {
    const a = model.gate.index;
    const b = model.minor.index;
    same = a.size === b.size && [...a].every(([key, row]) => b.get(key) === row);
    sharedIndex.set(model, same);
  }
  return same;
}

/**
 * `otherClasses`: the 非城管 小类 (indices of minor.labels). With a gate-only model, when
 * the gate is sure (pOther ≥ transferAt), only they are scored: the 城管 side, a
 * hundred-odd classes, is then skipped. With `gate+minor` their probabilities are summed.
 */
export function stagedScores(
  model: StagedModel,
  doc: Segmented,
  otherClasses?: Int32Array,
  transferAt = model.transferAt,
): StagedScores {
  // The two models share features and settings, so one hashing serves both.
  const mx = vectorizerOf(model.minor).vectorize(doc, model.minor.features);
  const gx = sameIndex(model) ? mx : vectorizerOf(model.gate).vectorize(doc, model.gate.features);
  const g = softmax(logits(model.gate, gx, new Float64Array(model.gate.labels.length)), model.gate.temperature);
  const other = model.gate.labels.indexOf(GATE_OTHER);
  const pGate = other < 0 ? 0 : g[other];
  const classes = model.minor.labels.length;
  const blend = model.sides === 'gate+minor' && otherClasses !== undefined;
  if (!blend && otherClasses && pGate >= transferAt) {
    const out = new Float64Array(classes).fill(-Infinity);
    logitsOf(model.minor, mx, otherClasses, out);
    return { pOther: pGate, minor: softmax(out, model.minor.temperature) };
  }
  const minor = softmax(scorerOf(model.minor)(mx, new Float64Array(classes)), model.minor.temperature);
  if (!blend) return { pOther: pGate, minor };
  let minorOther = 0;
  for (const c of otherClasses) minorOther += minor[c];
  return { pOther: (pGate + minorOther) / 2, minor };
}

function logitsOf(model: LinearModel, x: SparseVector, subset: Int32Array, out: Float64Array): void {
  const classes = model.bias.length;
  for (const c of subset) out[c] = model.bias[c];
  for (let k = 0; k < x.idx.length; k++) {
    const base = x.idx[k] * classes;
    const v = x.val[k];
    for (let s = 0; s < subset.length; s++) out[subset[s]] += v * model.weights[base + subset[s]];
  }
}

export function serializeStaged(model: StagedModel, meta: Record<string, unknown>): string {
  return JSON.stringify({
    format: STAGED_FORMAT,
    transferAt: model.transferAt,
    sideAt: model.sideAt ?? 0.5,
    sides: model.sides ?? 'gate',
    gate: modelFile(model.gate),
    minor: modelFile(model.minor),
    meta,
  });
}

export function deserializeStaged(json: string): { model: StagedModel; meta: Record<string, unknown> } {
  const file = JSON.parse(json) as {
    format?: string;
    transferAt?: number;
    sideAt?: number;
    sides?: string;
    gate?: ModelFile;
    minor?: ModelFile;
    meta?: Record<string, unknown>;
  };
  if (file.format !== STAGED_FORMAT || !file.gate || !file.minor) {
    throw new Error(`unknown model format ${String(file.format)}`);
  }
  return {
    model: {
      gate: readModelFile(file.gate).model,
      minor: readModelFile(file.minor).model,
      transferAt: typeof file.transferAt === 'number' ? file.transferAt : 0.9,
      sideAt: typeof file.sideAt === 'number' ? file.sideAt : 0.5,
      sides: file.sides === 'gate+minor' ? 'gate+minor' : 'gate',
    },
    meta: file.meta ?? {},
  };
}
