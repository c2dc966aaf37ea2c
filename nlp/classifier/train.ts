import { fitTemperature } from './calibrate.js';
import { DEFAULT_FEATURES, featureCounts, type Doc, type FeatureConfig } from './features.js';
import { logits, vectorize, type LinearModel, type SparseVector } from './model.js';
import { seededRandom, shuffleInPlace } from './random.js';
import { stratifiedFolds } from './split.js';

export interface Example extends Doc {
  label: string;
}

export interface TrainOptions {
  features: FeatureConfig;
  epochs: number;
  /** L2 penalty per example. */
  lambda: number;
  /** Initial SGD step; decays as eta0 / (1 + eta0·lambda·t). */
  eta0: number;
  /** Features seen in fewer documents are dropped. */
  minDf: number;
  /** At most this many features, the most frequent kept (0: no limit). */
  maxFeatures: number;
  /** Per-example weights, by index (a real message can count more than a written one). */
  weights?: readonly number[];
  seed: number;
  /** Fit the softmax temperature on a held-out fifth before the final fit. */
  calibrate: boolean;
  /**
   * Iterate averaging: the weights returned are the mean of the end-of-epoch weights of the
   * last N epochs (0: the last iterate). The SGD step decays slowly at small λ, so the last
   * iterate still moves with the last examples seen.
   */
  averageEpochs: number;
  /** With it, the model is the regression blended with naive Bayes over the same features (`blendLinear`). */
  bayes?: BayesOptions;
  /** With it, each feature's IDF is scaled by its naive Bayes log-ratio spread (`bayesScaled`). */
  nbScale?: { alpha: number };
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_TRAIN: TrainOptions = {
  features: DEFAULT_FEATURES,
  epochs: 12,
  lambda: 1e-5,
  eta0: 2,
  minDf: 2,
  maxFeatures: 0,
  seed: 20240611,
  calibrate: true,
  averageEpochs: 0,
};

const MIN_CALIBRATION_ROWS = 30;

export interface BayesOptions {
  /** Additive smoothing of every θ. */
  alpha: number;
  /** Complement naive Bayes instead of multinomial. */
  complement: boolean;
  /** How much the naive Bayes logits count against the regression's (1). */
  weight: number;
}

export interface Prepared {
  counts: Map<number, number>[];
  y: number[];
  labels: string[];
}

export function prepare(counts: Map<number, number>[], labelOf: readonly string[]): Prepared {
  const labels = [...new Set(labelOf)].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  return { counts, y: labelOf.map((l) => labelIndex.get(l)!), labels };
}

export interface FeatureIndex {
  index: Map<number, number>;
  idf: Float32Array;
}

/** The features kept (seen in minDf documents of `rows`, at most maxFeatures) and their IDF. */
export function buildIndex(
  data: Prepared,
  rows: readonly number[],
  options: Pick<TrainOptions, 'minDf' | 'maxFeatures'>,
): FeatureIndex {
  const df = new Map<number, number>();
  for (const i of rows) for (const key of data.counts[i].keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const index = new Map<number, number>();
  const idfValues: number[] = [];
  let kept = [...df].filter(([, n]) => n >= options.minDf);
  if (options.maxFeatures > 0 && kept.length > options.maxFeatures) {
    kept = kept.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, options.maxFeatures);
  }
  for (const [key, n] of kept) {
    index.set(key, idfValues.length);
    idfValues.push(Math.log((1 + rows.length) / (1 + n)) + 1);
  }
  return { index, idf: Float32Array.from(idfValues) };
}

function fit(
  data: Prepared,
  rows: readonly number[],
  options: TrainOptions,
  progress: (n: number) => void,
): LinearModel {
  const built = buildIndex(data, rows, options);
  const { index } = built;
  const idf = options.nbScale ? bayesScaled(data, rows, built, options) : built.idf;
  const xs: SparseVector[] = rows.map((i) => vectorize(data.counts[i], index, idf));
  const ys = rows.map((i) => data.y[i]);

  const classes = data.labels.length;
  // Weights are kept as scale·v so the L2 shrinkage of every weight is one multiply.
  const v = new Float32Array(index.size * classes);
  const bias = new Float32Array(classes);
  let scale = 1;
  const scores = new Float64Array(classes);
  const active = new Int32Array(classes);
  const random = seededRandom(options.seed);
  const order = xs.map((_, i) => i);
  let t = 0;
  let sumWeights: Float64Array | undefined;
  const sumBias = new Float64Array(classes);
  let snapshots = 0;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const x = xs[i];
      const eta = options.eta0 / (1 + options.eta0 * options.lambda * t++);
      for (let c = 0; c < classes; c++) scores[c] = bias[c];
      for (let k = 0; k < x.idx.length; k++) {
        const base = x.idx[k] * classes;
        const xv = x.val[k] * scale;
        for (let c = 0; c < classes; c++) scores[c] += xv * v[base + c];
      }
      let max = -Infinity;
      for (let c = 0; c < classes; c++) if (scores[c] > max) max = scores[c];
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += scores[c] = Math.exp(scores[c] - max);
      // scores now holds the gradient p - y.
      for (let c = 0; c < classes; c++) scores[c] /= sum;
      scores[ys[i]] -= 1;
      const w = options.weights?.[rows[i]] ?? 1;
      if (w !== 1) for (let c = 0; c < classes; c++) scores[c] *= w;

      scale *= 1 - eta * options.lambda;
      const step = eta / scale;
      // Once trained a little, most classes get a negligible gradient on an example;
      // updating only the others is what keeps 118 classes fast.
      let nActive = 0;
      for (let c = 0; c < classes; c++) if (scores[c] > 1e-4 || scores[c] < -1e-4) active[nActive++] = c;
      for (let k = 0; k < x.idx.length; k++) {
        const base = x.idx[k] * classes;
        const xv = x.val[k] * step;
        for (let a = 0; a < nActive; a++) {
          const c = active[a];
          v[base + c] -= xv * scores[c];
        }
      }
      for (let c = 0; c < classes; c++) bias[c] -= eta * scores[c];
      if (scale < 1e-6) {
        for (let j = 0; j < v.length; j++) v[j] *= scale;
        scale = 1;
      }
    }
    if (options.averageEpochs > 0 && epoch >= options.epochs - options.averageEpochs) {
      sumWeights ??= new Float64Array(v.length);
      for (let j = 0; j < v.length; j++) sumWeights[j] += v[j] * scale;
      for (let c = 0; c < classes; c++) sumBias[c] += bias[c];
      snapshots++;
    }
    progress(rows.length);
  }
  if (sumWeights) {
    for (let j = 0; j < v.length; j++) v[j] = sumWeights[j] / snapshots;
    for (let c = 0; c < classes; c++) bias[c] = sumBias[c] / snapshots;
  } else {
    for (let j = 0; j < v.length; j++) v[j] *= scale;
  }
  return { labels: data.labels, features: options.features, index, idf, weights: v, bias, temperature: 1 };
}

/** Trains the softmax regression; with `calibrate`, first on four fifths to fit the temperature. */
export function trainLinear(examples: readonly Example[], overrides: Partial<TrainOptions> = {}): LinearModel {
  const features = overrides.features ?? DEFAULT_TRAIN.features;
  return trainOnCounts(
    examples.map((e) => featureCounts(e, features)),
    examples.map((e) => e.label),
    overrides,
  );
}

/**
 * The same, on feature counts already hashed (with `options.features`): models that
 * read the same texts hash them once.
 */
export function trainOnCounts(
  counts: Map<number, number>[],
  labelOf: readonly string[],
  overrides: Partial<TrainOptions> = {},
): LinearModel {
  const options = { ...DEFAULT_TRAIN, ...overrides };
  if (counts.length === 0) throw new Error('no training examples');
  const data = prepare(counts, labelOf);
  const all = data.y.map((_, i) => i);

  const fold = stratifiedFolds(data.y.map(String), 5, options.seed);
  const heldOut = all.filter((i) => fold[i] === 0);
  const fitRows = all.filter((i) => fold[i] !== 0);
  // A handful of held-out rows would fit the temperature to noise; tiny sets keep T = 1.
  const calibrating = options.calibrate && data.labels.length > 1 && heldOut.length >= MIN_CALIBRATION_ROWS;

  const total = options.epochs * (all.length + (calibrating ? fitRows.length : 0));
  let done = 0;
  const progress = (n: number) => options.onProgress?.((done += n), total);
  const fitModel = (rows: readonly number[]) => {
    const model = fit(data, rows, options, progress);
    return options.bayes
      ? blendLinear(
          model,
          fitBayes(data, rows, model, { ...options.bayes, weights: options.weights }),
          options.bayes.weight,
        )
      : model;
  };

  let temperature = 1;
  if (calibrating) {
    const probe = fitModel(fitRows);
    const rows = heldOut.map((i) =>
      logits(probe, vectorize(data.counts[i], probe.index, probe.idf), new Float64Array(data.labels.length)),
    );
    temperature = fitTemperature(
      rows,
      heldOut.map((i) => data.y[i]),
    );
  }
  const model = fitModel(all);
  model.temperature = temperature;
  return model;
}

/**
 * A naive Bayes model over the same TF-IDF vectors as `like` (its features, its IDF), as a
 * linear model: multinomial, log θ(c,f) with log priors; complement (Rennie et al. 2003),
 * −log θ(not c, f) with no prior. Each example adds its weight × its vector to its class's
 * (or the other classes') feature mass; `alpha` smooths every θ. Each feature's row of
 * weights is centred (mean 0 over the classes), which leaves every prediction as it is.
 */
export function fitBayes(
  data: Prepared,
  rows: readonly number[],
  like: Pick<LinearModel, 'index' | 'idf' | 'features'>,
  options: Pick<BayesOptions, 'alpha' | 'complement'> & { weights?: readonly number[] },
): LinearModel {
  const classes = data.labels.length;
  const features = like.idf.length;
  const mass = new Float64Array(features * classes);
  const prior = new Float64Array(classes);
  for (const i of rows) {
    const w = options.weights?.[i] ?? 1;
    const c = data.y[i];
    prior[c] += w;
    const x = vectorize(data.counts[i], like.index, like.idf);
    for (let k = 0; k < x.idx.length; k++) mass[x.idx[k] * classes + c] += w * x.val[k];
  }
  const totals = new Float64Array(classes);
  for (let f = 0; f < features; f++) for (let c = 0; c < classes; c++) totals[c] += mass[f * classes + c];
  const all = totals.reduce((a, b) => a + b, 0);
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const priorSum = prior.reduce((a, b) => a + b, 0);
  for (let c = 0; c < classes; c++) {
    bias[c] = options.complement ? 0 : Math.log(Math.max(prior[c], 1e-9) / priorSum);
  }
  for (let f = 0; f < features; f++) {
    let rowAll = 0;
    for (let c = 0; c < classes; c++) rowAll += mass[f * classes + c];
    let rowSum = 0;
    for (let c = 0; c < classes; c++) {
      const j = f * classes + c;
      weights[j] = options.complement
        ? -Math.log((rowAll - mass[j] + options.alpha) / (all - totals[c] + options.alpha * features))
        : Math.log((mass[j] + options.alpha) / (totals[c] + options.alpha * features));
      rowSum += weights[j];
    }
    // The same amount added to every class's weight of a feature changes no probability;
    // centred, a row keeps only what tells classes apart, which is what the per-row int8
    // scale and the pruning of small weights (model.ts, staged.ts) need to keep.
    for (let c = 0; c < classes; c++) weights[f * classes + c] -= rowSum / classes;
  }
  return {
    labels: data.labels,
    features: like.features,
    index: like.index,
    idf: like.idf,
    weights,
    bias,
    temperature: 1,
  };
}

/**
 * NB-weighted features (after Wang & Manning's NBSVM, for many classes): each feature's IDF
 * times the spread of its multinomial naive Bayes log θ over the classes (largest − smallest),
 * so a feature that tells classes apart counts more before the regression sees it. Stored as
 * the model's IDF: classify() reads it as it reads any IDF.
 */
export function bayesScaled(
  data: Prepared,
  rows: readonly number[],
  built: FeatureIndex,
  options: TrainOptions,
): Float32Array {
  const like = { ...built, features: options.features };
  const nb = fitBayes(data, rows, like, { alpha: options.nbScale!.alpha, complement: false, weights: options.weights });
  const classes = data.labels.length;
  const idf = new Float32Array(built.idf.length);
  for (let f = 0; f < idf.length; f++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < classes; c++) {
      const w = nb.weights[f * classes + c];
      if (w < lo) lo = w;
      if (w > hi) hi = w;
    }
    idf[f] = built.idf[f] * (hi - lo);
  }
  return idf;
}

/** One linear model whose logits are a's plus `weight` × b's (same features, same rows). */
export function blendLinear(a: LinearModel, b: LinearModel, weight: number): LinearModel {
  if (a.index !== b.index && a.index.size !== b.index.size) throw new Error('blended models must share features');
  const weights = new Float32Array(a.weights.length);
  for (let j = 0; j < weights.length; j++) weights[j] = a.weights[j] + weight * b.weights[j];
  const bias = new Float32Array(a.bias.length);
  for (let c = 0; c < bias.length; c++) bias[c] = a.bias[c] + weight * b.bias[c];
  return { ...a, weights, bias, temperature: 1 };
}
