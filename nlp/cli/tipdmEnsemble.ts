import { argmax, averageProbabilities, bootstrapWeights, ENSEMBLE_MODES } from '../classifier/ensemble.js';
import { featureCounts, type FeatureConfig } from '../classifier/features.js';
import { logits, softmax, vectorize, type SparseVector } from '../classifier/model.js';
import { trainOnCounts, type TrainOptions } from '../classifier/train.js';
import { computeMetrics, type Prediction } from '../eval/metrics.js';
import { UsageError } from './args.js';
import { learnerOptions, parseBayes } from './learners.js';
import { networkLogits, trainNetworkOnCounts, type NetworkOptions } from '../classifier/network.js';
import { VARIANTS } from './real.js';
import { trainNeighbours, type NeighbourOptions } from '../classifier/neighbours.js';
import { copiesOfRaw } from '../real/dedup.js';
import { foldTraining, type CandidateInput, type CandidateResult } from './tipdmCandidates.js';

/** A model of an ensemble: its feature view and its training options (learner, naive Bayes blend, seed). */
export interface EnsembleMember {
  name: string;
  features: FeatureConfig;
  train: Partial<TrainOptions>;
  /** Trained on a bootstrap sample of its training rows drawn with this seed (bagging). */
  bootstrap?: number;
  /** A network (learner `mlpH[eE][rRATE][dDROPOUT]`) instead of the linear model. */
  network?: Partial<NetworkOptions>;
  /** Nearest neighbours (learner `knnK[sSHARPEN]`) instead of a trained model. */
  neighbours?: Partial<NeighbourOptions>;
}

/** `knn20`, `knn20s4`: how many neighbours vote, and the power of their similarity that weighs a vote. */
function parseNeighbours(learner: string): Partial<NeighbourOptions> | undefined {
  const m = /^knn(\d+)(?:s([\d.]+))?$/.exec(learner);
  if (!m) return undefined;
  return { k: Number(m[1]), ...(m[2] ? { sharpen: Number(m[2]) } : {}) };
}

/** `mlp64`, `mlp64e20r0.1d0.5`: hidden units, then optionally epochs, step and dropout. */
function parseNetwork(learner: string): Partial<NetworkOptions> | undefined {
  const m = /^mlp(\d+)(?:e(\d+))?(?:r([\d.]+))?(?:d([\d.]+))?$/.exec(learner);
  if (!m) return undefined;
  const [, hidden, epochs, eta0, dropout] = m;
  return {
    hidden: Number(hidden),
    ...(epochs ? { epochs: Number(epochs) } : {}),
    ...(eta0 ? { eta0: Number(eta0) } : {}),
    ...(dropout ? { dropout: Number(dropout) } : {}),
  };
}

/** A trained member: its classes, and their probabilities for a text's feature counts (in its view). */
export interface TrainedMember {
  labels: string[];
  probabilities(counts: Map<number, number>): Float64Array;
}

/** Trains a member (its network, or its linear model) on feature counts hashed in its view. */
export function trainMember(
  member: EnsembleMember,
  counts: Map<number, number>[],
  labels: readonly string[],
  weights: readonly number[],
): TrainedMember {
  const train = { ...member.train, weights: memberWeights(member, weights) };
  if (member.neighbours) return trainNeighbours(counts, labels, train.weights, member.neighbours);
  const model = member.network
    ? trainNetworkOnCounts(counts, labels, train, member.network)
    : trainOnCounts(counts, labels, train);
  const scores = (x: SparseVector, out: Float64Array) =>
    'w1' in model ? networkLogits(model, x, out) : logits(model, x, out);
  return {
    labels: model.labels,
    probabilities: (c) =>
      softmax(scores(vectorize(c, model.index, model.idf), new Float64Array(model.labels.length)), model.temperature),
  };
}

/** A member's example weights: the given ones, or a bootstrap sample of them. */
export function memberWeights(member: Pick<EnsembleMember, 'bootstrap'>, weights: readonly number[]): number[] {
  return member.bootstrap === undefined ? [...weights] : bootstrapWeights(weights, member.bootstrap);
}

/**
 * `[VIEW/]LEARNER[+mnb|cnb:ALPHA:WEIGHT][@SEED][~BOOT]`, e.g. `char4/nbs01+cnb:0.01:0.5`: VIEW is a
 * `--variant` name (default `view`), LEARNER one of learners.ts, a network `mlpH…` (parseNetwork) or
 * nearest neighbours `knnK…` (parseNeighbours), the blend as `--bayes` (linear members only), SEED the
 * SGD shuffling's seed (bagging over seeds), BOOT the seed of a bootstrap sample of the rows.
 */
export function parseMember(spec: string, view: string, base: Partial<TrainOptions>): EnsembleMember {
  const match = /^(?:([\w-]+)\/)?([\w.-]+)(?:\+([\w.:]+))?(?:@(\d+))?(?:~(\d+))?$/.exec(spec);
  if (!match) throw new UsageError(`ensemble member ${spec}: expected [VIEW/]LEARNER[+cnb:ALPHA:WEIGHT][@SEED][~BOOT]`);
  const [, variant = view, learner, bayes, seed, boot] = match;
  const features = VARIANTS[variant];
  if (!features) throw new UsageError(`ensemble member ${spec}: unknown variant ${variant}`);
  const network = parseNetwork(learner);
  const neighbours = parseNeighbours(learner);
  if ((network || neighbours) && bayes)
    throw new UsageError(`ensemble member ${spec}: a network or neighbours take no naive Bayes blend`);
  const train: Partial<TrainOptions> = {
    ...base,
    features,
    ...(network || neighbours ? {} : learnerOptions(learner)),
    ...(bayes ? { bayes: parseBayes(bayes) } : {}),
    ...(seed ? { seed: Number(seed) } : {}),
  };
  const name = spec.includes('/') ? spec : `${variant}/${spec}`;
  return {
    name,
    features,
    train,
    ...(boot ? { bootstrap: Number(boot) } : {}),
    ...(network ? { network } : {}),
    ...(neighbours ? { neighbours } : {}),
  };
}

export interface EnsembleInput extends Omit<CandidateInput, 'features' | 'learners' | 'grid'> {
  members: readonly EnsembleMember[];
}

/**
 * Grouped K-fold for an ensemble's members on the same folds as `--candidates`: each feature
 * view hashes every text once, the segmented copies are found once, each fold trains each
 * member once (`trainOnCounts`, as the task does, so with its fitted temperature), and keeps
 * each test row's probabilities. Every member alone and every combination of two or more
 * (mean of probabilities, mean of log-probabilities) is then scored from them, training nothing.
 */
export function evaluateEnsembles(input: EnsembleInput): CandidateResult[] {
  const log = input.log ?? (() => {});
  const { rows, k, members } = input;
  if (members.length === 0 || members.length > 12) throw new UsageError('an ensemble takes 1 to 12 members');
  const copies = copiesOfRaw(input.segmented, [...rows, ...input.heldOut]);
  const views = new Map<
    string,
    { seg: Map<number, number>[]; raw: Map<number, number>[]; scope: Map<number, number>[] }
  >();
  const viewOf = (features: FeatureConfig) => {
    const key = JSON.stringify(features);
    let view = views.get(key);
    if (!view) {
      const started = performance.now();
      view = {
        seg: input.segmented.map((r) => featureCounts({ tokens: r.tokens }, features)),
        raw: rows.map((r) => featureCounts({ text: r.text }, features)),
        scope: (input.scope ?? []).map((r) => featureCounts({ text: r.text }, features)),
      };
      views.set(key, view);
      log(`features hashed once for ${key}: ${Math.round(performance.now() - started)} ms`);
    }
    return view;
  };

  // probs[member][row]: the member's class probabilities for the row, from the fold that tests it.
  const probs = members.map(() => new Array<Float64Array>(rows.length));
  let labels: readonly string[] | undefined;
  for (let fold = 0; fold < k; fold++) {
    const set = foldTraining(input, copies, fold);
    for (const [m, member] of members.entries()) {
      const started = performance.now();
      const view = viewOf(member.features);
      const counts = [...set.trainSeg.map((i) => view.seg[i]), ...set.trainRaw.map((i) => view.raw[i]), ...view.scope];
      const model = trainMember(member, counts, set.labels, set.weights);
      if (labels && labels.join('\u0000') !== model.labels.join('\u0000')) {
        throw new Error(`fold ${fold + 1}: ${member.name} has other classes than the first member`);
      }
      labels ??= model.labels;
      for (const i of set.testRows) probs[m][i] = model.probabilities(view.raw[i]);
      log(`fold ${fold + 1}/${k}, ${member.name}: ${Math.round(performance.now() - started)} ms`);
    }
  }

  const scored = rows.map((_, i) => i).filter((i) => probs[0][i] !== undefined);
  // How far apart the members err: rows at least one of them gets right, and rows all of them do.
  const rightBy = scored.map((i) => members.filter((_, m) => labels![argmax(probs[m][i])] === rows[i].tipdm).length);
  log(
    `rows some member gets right: ${rightBy.filter((n) => n > 0).length} of ${scored.length}; ` +
      `every member: ${rightBy.filter((n) => n === members.length).length}`,
  );
  const results: CandidateResult[] = [];
  for (let subset = 1; subset < 1 << members.length; subset++) {
    const chosen = members.map((_, m) => m).filter((m) => subset & (1 << m));
    const modes = chosen.length === 1 ? (['mean'] as const) : ENSEMBLE_MODES;
    for (const mode of modes) {
      const predictions: Prediction[] = scored.map((i) => {
        const p = averageProbabilities(
          chosen.map((m) => probs[m][i]),
          mode,
        );
        const best = argmax(p);
        return { truth: rows[i].tipdm!, predicted: labels![best], confidence: p[best], ms: 0 };
      });
      const m = computeMetrics(predictions);
      const names = chosen.map((c) => members[c].name);
      results.push({
        name: chosen.length === 1 ? names[0] : `${mode}(${names.join(' + ')})`,
        accuracy: m.accuracy,
        macroF1: m.macroF1,
        right: Math.round(m.accuracy * m.total),
        total: m.total,
      });
    }
  }
  return results;
}
