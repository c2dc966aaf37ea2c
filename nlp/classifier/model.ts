import {
  DEFAULT_FEATURES,
  hashFeatures,
  segmentDoc,
  type Doc,
  type FeatureConfig,
  type Segmented,
} from './features.js';

export const MODEL_FORMAT = 'chengguan-linear-softmax/2';
const READABLE_FORMATS = new Set(['chengguan-linear-softmax/1', MODEL_FORMAT]);

/** A multinomial logistic regression over TF-IDF of hashed features. */
export interface LinearModel {
  labels: string[];
  features: FeatureConfig;
  /** Hashed feature key → row in `idf` and `weights`. */
  index: Map<number, number>;
  idf: Float32Array;
  /** Row-major, one row of labels.length weights per feature. */
  weights: Float32Array;
  bias: Float32Array;
  /** Softmax temperature fitted on held-out predictions. */
  temperature: number;
}

export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface Ranked {
  label: string;
  p: number;
}

/** Sub-linear TF times IDF, L2-normalised; features the model never saw are dropped. */
export function vectorize(counts: Map<number, number>, index: Map<number, number>, idf: Float32Array): SparseVector {
  const idx: number[] = [];
  const val: number[] = [];
  let norm = 0;
  for (const [key, tf] of counts) {
    const row = index.get(key);
    if (row === undefined) continue;
    const w = (1 + Math.log(tf)) * idf[row];
    idx.push(row);
    val.push(w);
    norm += w * w;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const out = { idx: Int32Array.from(idx), val: new Float32Array(val.length) };
  for (let i = 0; i < val.length; i++) out.val[i] = val[i] * inv;
  return out;
}

export function logits(model: Pick<LinearModel, 'weights' | 'bias'>, x: SparseVector, out: Float64Array): Float64Array {
  const classes = model.bias.length;
  for (let c = 0; c < classes; c++) out[c] = model.bias[c];
  for (let k = 0; k < x.idx.length; k++) {
    const base = x.idx[k] * classes;
    const v = x.val[k];
    for (let c = 0; c < classes; c++) out[c] += v * model.weights[base + c];
  }
  return out;
}

/** In-place softmax of scores / temperature. */
export function softmax(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp((scores[c] - max) / temperature);
    sum += scores[c];
  }
  for (let c = 0; c < scores.length; c++) scores[c] /= sum;
  return scores;
}

export function probabilities(model: LinearModel, doc: Doc): Float64Array {
  return segmentedProbabilities(model, segmentDoc(doc, model.features));
}

/** For callers that already hold the jieba words of the normalised text. */
export function segmentedProbabilities(model: LinearModel, doc: Segmented): Float64Array {
  const x = vectorize(hashFeatures(doc, model.features), model.index, model.idf);
  return softmax(logits(model, x, new Float64Array(model.labels.length)), model.temperature);
}

export function rank(model: LinearModel, probs: Float64Array, top = model.labels.length): Ranked[] {
  const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a] || a - b);
  return order.slice(0, top).map((c) => ({ label: model.labels[c], p: probs[c] }));
}

export function predict(model: LinearModel, doc: Doc, top?: number): Ranked[] {
  return rank(model, probabilities(model, doc), top);
}

export interface ModelFile {
  format: string;
  labels: string[];
  features: FeatureConfig;
  temperature: number;
  keys: string;
  idf: string;
  /** Float32 weights (format 1), or int8 weights with one float32 scale per feature (format 2). */
  weights: string;
  scales?: string;
  bias: string;
  meta?: Record<string, unknown>;
}

/**
 * Weights as int8 with one scale per feature row: a quarter of the size, which keeps
 * the committed model small; the change in probabilities is far below what moves a
 * decision (max error half a step of the row's largest weight / 127).
 */
function quantize(weights: Float32Array, classes: number): { q: Int8Array; scales: Float32Array } {
  const rows = classes === 0 ? 0 : weights.length / classes;
  const q = new Int8Array(weights.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < classes; c++) max = Math.max(max, Math.abs(weights[r * classes + c]));
    const scale = max / 127 || 1;
    scales[r] = scale;
    for (let c = 0; c < classes; c++) q[r * classes + c] = Math.round(weights[r * classes + c] / scale);
  }
  return { q, scales };
}

function dequantize(q: Int8Array, scales: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i] * scales[Math.floor(i / classes)];
  return out;
}

function toBase64(array: Float32Array | Uint32Array | Int8Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T extends Float32Array | Uint32Array | Int8Array>(
  text: string,
  Type: { new (b: ArrayBuffer): T },
): T {
  const bytes = Buffer.from(text, 'base64');
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Type(copy);
}

export function modelFile(model: LinearModel, meta: Record<string, unknown> = {}): ModelFile {
  const keys = new Uint32Array(model.index.size);
  for (const [key, row] of model.index) keys[row] = key;
  const { q, scales } = quantize(model.weights, model.labels.length);
  return {
    format: MODEL_FORMAT,
    labels: model.labels,
    features: model.features,
    temperature: model.temperature,
    keys: toBase64(keys),
    idf: toBase64(model.idf),
    weights: toBase64(q),
    scales: toBase64(scales),
    bias: toBase64(model.bias),
    meta,
  };
}

export function serializeModel(model: LinearModel, meta: Record<string, unknown> = {}): string {
  return JSON.stringify(modelFile(model, meta));
}

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

export function deserializeModel(json: string): { model: LinearModel; meta: Record<string, unknown> } {
  return readModelFile(JSON.parse(json) as Partial<ModelFile>);
}

export function readModelFile(file: Partial<ModelFile>): { model: LinearModel; meta: Record<string, unknown> } {
  if (!READABLE_FORMATS.has(String(file.format))) {
    throw new ModelFormatError(`unknown model format ${String(file.format)}`);
  }
  const keys = fromBase64(file.keys ?? '', Uint32Array);
  const idf = fromBase64(file.idf ?? '', Float32Array);
  const labels = file.labels ?? [];
  const weights =
    file.format === MODEL_FORMAT
      ? dequantize(
          fromBase64(file.weights ?? '', Int8Array),
          fromBase64(file.scales ?? '', Float32Array),
          labels.length,
        )
      : fromBase64(file.weights ?? '', Float32Array);
  const bias = fromBase64(file.bias ?? '', Float32Array);
  if (idf.length !== keys.length || weights.length !== keys.length * labels.length || bias.length !== labels.length) {
    throw new ModelFormatError('model arrays do not match its labels and features');
  }
  const index = new Map<number, number>();
  keys.forEach((key, row) => index.set(key, row));
  return {
    model: {
      labels,
      features: { ...DEFAULT_FEATURES, ...file.features },
      index,
      idf,
      weights,
      bias,
      temperature: file.temperature ?? 1,
    },
    meta: file.meta ?? {},
  };
}
