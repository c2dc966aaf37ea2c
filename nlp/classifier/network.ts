import { fitTemperature } from './calibrate.js';
import { vectorize, type SparseVector } from './model.js';
import { seededRandom, shuffleInPlace } from './random.js';
import { stratifiedFolds } from './split.js';
import { bayesScaled, buildIndex, DEFAULT_TRAIN, prepare, type Prepared, type TrainOptions } from './train.js';

/**
 * A small network over the linear model's TF-IDF vectors: one hidden layer of ReLU units
 * (with dropout while training) and a softmax, trained by Adam on the cross-entropy, one
 * example at a time; a first-layer row moves only when its feature is in the example (plain
 * SGD left the first layer where it started: a feature's TF-IDF value is a few hundredths).
 * Tried for the 7-label TipDM task (`--ensemble …/mlp64`, nlp/README.md); not the product's.
 */
export interface NetworkOptions {
  hidden: number;
  epochs: number;
  /** Adam's step. */
  eta0: number;
  /** L2 on the weights a step touches, per example. */
  lambda: number;
  /** Share of hidden units dropped per example while training. */
  dropout: number;
  /** The first layer's weights start uniform in ±initScale. */
  initScale: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

export const DEFAULT_NETWORK: NetworkOptions = {
  hidden: 64,
  epochs: 3,
  eta0: 0.001,
  lambda: 1e-6,
  dropout: 0.5,
  initScale: 0.05,
};

/** Adam's two moving averages for one array of parameters. */
class Adam {
  private readonly m: Float32Array;
  private readonly s: Float32Array;
  constructor(private readonly p: Float32Array) {
    this.m = new Float32Array(p.length);
    this.s = new Float32Array(p.length);
  }

  move(j: number, g: number, step: number): void {
    this.m[j] = BETA1 * this.m[j] + (1 - BETA1) * g;
    this.s[j] = BETA2 * this.s[j] + (1 - BETA2) * g * g;
    this.p[j] -= (step * this.m[j]) / (Math.sqrt(this.s[j]) + EPS);
  }
}

export interface NetworkModel {
  labels: string[];
  index: Map<number, number>;
  idf: Float32Array;
  hidden: number;
  /** Feature-major: features × hidden. */
  w1: Float32Array;
  b1: Float32Array;
  /** Hidden-major: hidden × classes. */
  w2: Float32Array;
  b2: Float32Array;
  temperature: number;
}

/** The network's class scores for one vector (before the softmax and its temperature). */
export function networkLogits(model: NetworkModel, x: SparseVector, out: Float64Array): Float64Array {
  return outputOf(model, hiddenOf(model, x, new Float64Array(model.hidden)), out);
}

/** The output layer: each class's bias plus the hidden units' weighted sum. */
function outputOf(model: Pick<NetworkModel, 'w2' | 'b2'>, h: Float64Array, out: Float64Array): Float64Array {
  const C = model.b2.length;
  for (let c = 0; c < C; c++) {
    let z = model.b2[c];
    for (let j = 0; j < h.length; j++) z += h[j] * model.w2[j * C + c];
    out[c] = z;
  }
  return out;
}

function hiddenOf(model: Pick<NetworkModel, 'w1' | 'b1' | 'hidden'>, x: SparseVector, h: Float64Array): Float64Array {
  const H = model.hidden;
  for (let j = 0; j < H; j++) h[j] = model.b1[j];
  for (let k = 0; k < x.idx.length; k++) {
    const base = x.idx[k] * H;
    const v = x.val[k];
    for (let j = 0; j < H; j++) h[j] += v * model.w1[base + j];
  }
  for (let j = 0; j < H; j++) if (h[j] < 0) h[j] = 0;
  return h;
}

function fitNetwork(
  data: Prepared,
  rows: readonly number[],
  train: TrainOptions,
  options: NetworkOptions,
): NetworkModel {
  const built = buildIndex(data, rows, train);
  const idf = train.nbScale ? bayesScaled(data, rows, built, train) : built.idf;
  const xs = rows.map((i) => vectorize(data.counts[i], built.index, idf));
  const H = options.hidden;
  const C = data.labels.length;
  const random = seededRandom(train.seed);
  const w1 = new Float32Array(built.index.size * H);
  for (let j = 0; j < w1.length; j++) w1[j] = (random() * 2 - 1) * options.initScale;
  const b1 = new Float32Array(H);
  const w2 = new Float32Array(H * C);
  const spread = Math.sqrt(6 / (H + C));
  for (let j = 0; j < w2.length; j++) w2[j] = (random() * 2 - 1) * spread;
  const b2 = new Float32Array(C);

  const h = new Float64Array(H);
  const keep = new Uint8Array(H);
  const dz = new Float64Array(C);
  const dh = new Float64Array(H);
  const order = xs.map((_, i) => i);
  const scaleKept = 1 / (1 - options.dropout);
  const adam = { w1: new Adam(w1), b1: new Adam(b1), w2: new Adam(w2), b2: new Adam(b2) };
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const x = xs[i];
      hiddenOf({ w1, b1, hidden: H }, x, h);
      for (let j = 0; j < H; j++) {
        keep[j] = random() >= options.dropout ? 1 : 0;
        h[j] = keep[j] ? h[j] * scaleKept : 0;
      }
      outputOf({ w2, b2 }, h, dz);
      let max = -Infinity;
      for (let c = 0; c < C; c++) if (dz[c] > max) max = dz[c];
      let sum = 0;
      for (let c = 0; c < C; c++) sum += dz[c] = Math.exp(dz[c] - max);
      const w = train.weights?.[rows[i]] ?? 1;
      for (let c = 0; c < C; c++) dz[c] = (dz[c] / sum - (c === data.y[rows[i]] ? 1 : 0)) * w;
      // Back through the output layer (its gradient to the hidden units before the update).
      for (let j = 0; j < H; j++) {
        let g = 0;
        if (h[j] > 0) for (let c = 0; c < C; c++) g += dz[c] * w2[j * C + c];
        dh[j] = g * scaleKept;
      }
      step++;
      // Adam's step with its bias corrections folded in.
      const a = (options.eta0 * Math.sqrt(1 - BETA2 ** step)) / (1 - BETA1 ** step);
      for (let j = 0; j < H; j++) {
        for (let c = 0; c < C; c++) adam.w2.move(j * C + c, dz[c] * h[j] + options.lambda * w2[j * C + c], a);
      }
      for (let c = 0; c < C; c++) adam.b2.move(c, dz[c], a);
      for (let k = 0; k < x.idx.length; k++) {
        const base = x.idx[k] * H;
        const v = x.val[k];
        for (let j = 0; j < H; j++) adam.w1.move(base + j, v * dh[j] + options.lambda * w1[base + j], a);
      }
      for (let j = 0; j < H; j++) adam.b1.move(j, dh[j], a);
    }
  }
  return { labels: data.labels, index: built.index, idf, hidden: H, w1, b1, w2, b2, temperature: 1 };
}

/**
 * Trains the network on hashed feature counts (the linear trainer's index, IDF, weights and
 * seed); with `calibrate`, first on four fifths to fit the softmax temperature on the fifth.
 */
export function trainNetworkOnCounts(
  counts: Map<number, number>[],
  labelOf: readonly string[],
  overrides: Partial<TrainOptions> = {},
  network: Partial<NetworkOptions> = {},
): NetworkModel {
  const train = { ...DEFAULT_TRAIN, ...overrides };
  const options = { ...DEFAULT_NETWORK, ...network };
  if (counts.length === 0) throw new Error('no training examples');
  const data = prepare(counts, labelOf);
  const all = data.y.map((_, i) => i);
  let temperature = 1;
  if (train.calibrate && data.labels.length > 1) {
    const fold = stratifiedFolds(data.y.map(String), 5, train.seed);
    const heldOut = all.filter((i) => fold[i] === 0);
    const probe = fitNetwork(
      data,
      all.filter((i) => fold[i] !== 0),
      train,
      options,
    );
    const scores = heldOut.map((i) =>
      networkLogits(probe, vectorize(data.counts[i], probe.index, probe.idf), new Float64Array(data.labels.length)),
    );
    temperature = fitTemperature(
      scores,
      heldOut.map((i) => data.y[i]),
    );
  }
  const model = fitNetwork(data, all, train, options);
  model.temperature = temperature;
  return model;
}
