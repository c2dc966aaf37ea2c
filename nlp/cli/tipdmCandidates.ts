import { featureCounts, type FeatureConfig } from '../classifier/features.js';
import { logits, softmax, vectorize, type LinearModel } from '../classifier/model.js';
import { fitBayes, prepare, trainOnCounts, type TrainOptions } from '../classifier/train.js';
import { computeMetrics, type Prediction } from '../eval/metrics.js';
import { copiesOfRaw } from '../real/dedup.js';
import type { SourceRow } from '../real/data.js';

/** A regression to train per fold; every naive Bayes blend is scored on top of it. */
export interface LearnerCandidate {
  name: string;
  train: Partial<TrainOptions>;
}

/** Naive Bayes models fitted per fold over the regression's features, and the weights they are blended at. */
export interface BayesGrid {
  alphas: readonly number[];
  weights: readonly number[];
}

export const DEFAULT_BAYES_GRID: BayesGrid = { alphas: [0.01, 0.1, 1], weights: [0.1, 0.25, 0.5, 1, 2, 4] };

export interface CandidateInput {
  /** The raw rows outside the held-out split, each with its fold. */
  rows: readonly SourceRow[];
  foldOfRow: readonly number[];
  k: number;
  /** The held-out raw rows: never featurised or scored, only their copies dropped from training. */
  heldOut: readonly SourceRow[];
  segmented: readonly { tokens: string[]; label: string }[];
  /** Rows made of the TipDM label table (real/tipdmScope.ts), in every fold's training set. */
  scope?: readonly { text: string; label: string }[];
  /** The weight of each of those rows (1 unless given). */
  scopeWeight?: number;
  features: FeatureConfig;
  /** Weight of a training example (segmented or raw) by its label. */
  weightOf: (label: string, raw: boolean, labelCounts: ReadonlyMap<string, number>) => number;
  learners: readonly LearnerCandidate[];
  grid: BayesGrid;
  log?: (line: string) => void;
}

export interface CandidateResult {
  name: string;
  accuracy: number;
  macroF1: number;
  right: number;
  total: number;
}

/**
 * Grouped K-fold for several learners on the same folds in one run: every text is hashed
 * once, the segmented rows that copy a raw row are found once, and each fold trains each
 * regression once; naive Bayes (multinomial and complement, each α) is fitted on the
 * regression's features and blended at each weight without training again. Training rows and
 * their order are those of `--tipdm --cv`, so the first learner's figure is that run's.
 */
export function evaluateCandidates(input: CandidateInput): CandidateResult[] {
  const log = input.log ?? (() => {});
  const { rows, k } = input;
  const copies = copiesOfRaw(input.segmented, [...rows, ...input.heldOut]);
  let started = performance.now();
  const segCounts = input.segmented.map((r) => featureCounts({ tokens: r.tokens }, input.features));
  const rawCounts = rows.map((r) => featureCounts({ text: r.text }, input.features));
  const scopeCounts = (input.scope ?? []).map((r) => featureCounts({ text: r.text }, input.features));
  log(`features hashed once: ${Math.round(performance.now() - started)} ms`);

  const predictions = new Map<string, Prediction[]>();
  const add = (name: string, p: Prediction) => {
    const list = predictions.get(name) ?? [];
    list.push(p);
    predictions.set(name, list);
  };
  for (let fold = 0; fold < k; fold++) {
    started = performance.now();
    const { testRows, trainSeg, trainRaw, labels, weights } = foldTraining(input, copies, fold);
    const counts = [...trainSeg.map((i) => segCounts[i]), ...trainRaw.map((i) => rawCounts[i]), ...scopeCounts];
    const data = prepare(counts, labels);
    const all = labels.map((_, i) => i);
    for (const [l, learner] of input.learners.entries()) {
      const lr = trainOnCounts(counts, labels, { ...learner.train, weights });
      const bayes: { name: string; model: LinearModel }[] = [];
      for (const complement of [false, true]) {
        for (const alpha of input.grid.alphas) {
          const model = fitBayes(data, all, lr, { alpha, complement, weights });
          bayes.push({ name: `${complement ? 'cnb' : 'mnb'} α ${alpha}`, model });
        }
      }
      for (const i of testRows) {
        const x = vectorize(rawCounts[i], lr.index, lr.idf);
        const truth = rows[i].tipdm!;
        const zl = logits(lr, x, new Float64Array(lr.labels.length));
        const score = (name: string, z: Float64Array, temperature: number) => {
          const p = softmax(Float64Array.from(z), temperature);
          let best = 0;
          for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
          add(name, { truth, predicted: lr.labels[best], confidence: p[best], ms: 0 });
        };
        score(learner.name, zl, lr.temperature);
        for (const nb of bayes) {
          const zb = logits(nb.model, x, new Float64Array(lr.labels.length));
          // Naive Bayes alone, over the first learner's features.
          if (l === 0) score(`${nb.name} alone`, zb, 1);
          for (const w of input.grid.weights) {
            score(
              `${learner.name} + ${w} × ${nb.name}`,
              zl.map((z, c) => z + w * zb[c]),
              1,
            );
          }
        }
      }
    }
    log(`fold ${fold + 1}/${k}: ${counts.length} training rows, ${Math.round(performance.now() - started)} ms`);
  }
  return [...predictions].map(([name, list]) => {
    const m = computeMetrics(list);
    return { name, accuracy: m.accuracy, macroF1: m.macroF1, right: Math.round(m.accuracy * m.total), total: m.total };
  });
}

/** What a fold's training set is made of, shared by `evaluateCandidates` and `evaluateEnsembles`. */
export type FoldInput = Pick<CandidateInput, 'rows' | 'foldOfRow' | 'segmented' | 'weightOf' | 'scope' | 'scopeWeight'>;

/**
 * A fold's test rows, and its training rows (segmented ones first, by index into `segmented`,
 * then raw ones, by index into `rows`, then every row of `scope`) with their labels and weights:
 * the segmented rows that copy a row of the fold or a held-out row (`copies`, indices past `rows`
 * are held-out rows) are left out.
 */
export function foldTraining(input: FoldInput, copies: readonly number[][], fold: number) {
  const { rows, foldOfRow } = input;
  const testRows = rows.map((_, i) => i).filter((i) => foldOfRow[i] === fold);
  // Fold by fold, as `--tipdm --cv` lists them: SGD's seeded order follows the rows' order.
  const trainRaw = rows
    .map((_, i) => i)
    .filter((i) => foldOfRow[i] !== fold)
    .sort((a, b) => foldOfRow[a] - foldOfRow[b] || a - b);
  const avoid = (j: number) => j >= rows.length || foldOfRow[j] === fold;
  const trainSeg = input.segmented.map((_, i) => i).filter((i) => !copies[i].some(avoid));
  const labels = [...trainSeg.map((i) => input.segmented[i].label), ...trainRaw.map((i) => rows[i].tipdm!)];
  const labelCounts = new Map<string, number>();
  for (const l of labels) labelCounts.set(l, (labelCounts.get(l) ?? 0) + 1);
  const weights = labels.map((l, i) => input.weightOf(l, i >= trainSeg.length, labelCounts));
  for (const r of input.scope ?? []) {
    labels.push(r.label);
    weights.push(input.scopeWeight ?? 1);
  }
  return { testRows, trainSeg, trainRaw, labels, weights };
}

/** The results as a Markdown table, best accuracy first; the first learner's row is marked as the baseline. */
export function formatCandidates(results: readonly CandidateResult[], baseline: string): string {
  const sorted = [...results].sort((a, b) => b.accuracy - a.accuracy || b.macroF1 - a.macroF1);
  const lines = ['| candidate | accuracy | macro-F1 | right |', '| --- | ---: | ---: | ---: |'];
  for (const r of sorted) {
    const name = r.name === baseline ? `**${r.name}** (baseline)` : r.name;
    lines.push(`| ${name} | ${r.accuracy.toFixed(4)} | ${r.macroF1.toFixed(4)} | ${r.right} of ${r.total} |`);
  }
  return lines.join('\n');
}
