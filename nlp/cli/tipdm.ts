import { argmax, averageProbabilities, ENSEMBLE_MODES, type EnsembleMode } from '../classifier/ensemble.js';
import { featureCounts } from '../classifier/features.js';
import type { TrainOptions } from '../classifier/train.js';
import { DEFAULT_CORPUS_DIR } from '../classifier/corpus.js';
import { computeMetrics, reviewFigures, type Prediction } from '../eval/metrics.js';
import { formatReport } from '../eval/report.js';
import { keyOf, readSegmentedRows, readSourceRows, resolveDataDir, hasTexts, type SourceRow } from '../real/data.js';
import type { FeatureConfig } from '../classifier/features.js';
import { realPaths } from '../real/labels.js';
import { readSplit } from '../real/split.js';
import { cutWords } from '../text/segment.js';
import { normalizeText } from '../text/normalize.js';
import { copiesOfRaw } from '../real/dedup.js';
import { readTipdmScope, scopeExamples } from '../real/tipdmScope.js';
import type { Args } from './args.js';
import { UsageError } from './args.js';
import { learnerFromArgs, learnerOptions } from './learners.js';
import { foldOf, VARIANTS } from './real.js';
import {
  DEFAULT_BAYES_GRID,
  evaluateCandidates,
  formatCandidates,
  type FoldInput,
  type LearnerCandidate,
} from './tipdmCandidates.js';
import { evaluateEnsembles, parseMember, trainMember, type EnsembleMember } from './tipdmEnsemble.js';

/**
 * The 7-label TipDM task on unseen real rows: test on the raw rows the real split
 * holds out, train on the other raw rows and the segmented file minus every row that
 * is a copy of a test row (the segmented file holds the raw rows' messages too).
 */
export async function runTipdm(args: Args): Promise<string> {
  const dataDir = resolveDataDir(args.value('data-dir'));
  if (!hasTexts(dataDir)) throw new UsageError(`no TipDM messages in ${dataDir}`);
  const splitPath = args.value('split') ?? realPaths(args.value('corpus-dir') ?? DEFAULT_CORPUS_DIR).split;
  const split = readSplit(splitPath);
  if (!split) throw new UsageError(`no split at ${splitPath} (npm run nlp:split)`);
  // Words and character 1–4-grams: chosen on grouped 5-fold over the raw rows outside the split
  // (`--tipdm --cv 5`; nlp/README.md), never on the held-out rows.
  const variant = args.value('variant') ?? 'wordschar4';
  const features = VARIANTS[variant];
  if (!features) throw new UsageError(`unknown variant ${variant}`);

  const raw = readSourceRows(dataDir).filter((r) => r.src === 'train_raw' && r.tipdm);
  const segmented = readSegmentedRows(dataDir);
  const trainAll = raw.filter((r) => !split.isTest(keyOf(r)));
  // The competition's label table as training rows, for the labels the task has.
  const fit = fitOptions(args, scopeExamples(readTipdmScope(dataDir), new Set(raw.map((r) => r.tipdm!))));
  const k = args.number('cv');
  const candidates = args.value('candidates');
  if (candidates !== undefined) {
    if (!k) throw new UsageError('--candidates needs --cv K');
    return runCandidates(candidates, sameFolds(k, trainAll, raw, segmented, fit, split), features, fit);
  }
  const ensembleArg = args.value('ensemble');
  if (ensembleArg !== undefined && ensembleArg !== 'none' && k) {
    return runEnsembles(ensembleArg, variant, sameFolds(k, trainAll, raw, segmented, fit, split), fit);
  }
  // The models the task trains: the ensemble `--ensemble` names, else the default ensemble
  // (TIPDM_ENSEMBLE) unless `--variant`, `--learner` or `--bayes` name a single model.
  const single = ['variant', 'learner', 'bayes'].some((o) => args.value(o) !== undefined);
  const ensembleSpec =
    ensembleArg === 'none' ? undefined : (ensembleArg ?? (single ? undefined : TIPDM_ENSEMBLE?.members.join(',')));
  const modeArg = args.value('ensemble-mode') ?? TIPDM_ENSEMBLE?.mode ?? 'mean';
  if (!ENSEMBLE_MODES.includes(modeArg as EnsembleMode)) {
    throw new UsageError(`unknown --ensemble-mode ${modeArg} (${ENSEMBLE_MODES.join(', ')})`);
  }
  const base = { minDf: 2, lambda: fit.lambda };
  const ensemble: Ensemble = ensembleSpec
    ? {
        members: ensembleSpec.split(',').map((spec) => parseMember(spec, variant, base)),
        mode: modeArg as EnsembleMode,
      }
    : { members: [{ name: variant, features, train: { features, ...base, ...fit.train } }], mode: 'mean' };
  const engine =
    ensemble.members.length > 1
      ? `ours (${ensemble.mode} of ${ensemble.members.map((m) => m.name).join(' + ')}${fit.note})`
      : `ours (${variant}${fit.note}${fit.learnerNote})`;
  if (k) {
    // Grouped K-fold over the raw rows the split does not hold out (for choices; the
    // held-out rows are never read): each fold trains as the task does, without its rows' copies.
    const heldOut = raw.filter((r) => split.isTest(keyOf(r)));
    const folds: SourceRow[][] = Array.from({ length: k }, () => []);
    for (const r of trainAll) folds[foldOf(split.groupOf(keyOf(r)), k)].push(r);
    const predictions: Prediction[] = [];
    let trainRows = 0;
    folds.forEach((test, i) => {
      const run = trainAndPredict(folds.filter((_, j) => j !== i).flat(), test, segmented, ensemble, fit, heldOut);
      predictions.push(...run.predictions);
      trainRows += run.trainRows;
      process.stderr.write(`fold ${i + 1}/${k} done\n`);
    });
    return formatReport(computeMetrics(predictions), reviewFigures(predictions, 0.5), {
      engine,
      description: `7 TipDM labels; grouped ${k}-fold over the ${trainAll.length} raw rows outside the held-out split (held-out rows untouched); ${Math.round(trainRows / k)} training rows per fold on average`,
      trainMs: [],
    });
  }
  const test = raw.filter((r) => split.isTest(keyOf(r)));
  const { predictions, trainMs, dropped, trainSeg } = trainAndPredict(trainAll, test, segmented, ensemble, fit);
  const trainRaw = trainAll;
  const metrics = computeMetrics(predictions);
  return formatReport(metrics, reviewFigures(predictions, 0.5), {
    engine,
    description:
      `7 TipDM labels; test: ${test.length} raw rows held out by the real split; train: ${trainRaw.length} other raw rows + ` +
      `${trainSeg.length} segmented rows (${dropped} dropped as copies of test rows)` +
      (fit.scope.length ? ` + ${fit.scope.length} rows of the TipDM label table ×${fit.scopeWeight}` : ''),
    trainMs: [trainMs],
  });
}

/** The task's models: one, or several whose class probabilities are averaged. */
interface Ensemble {
  members: EnsembleMember[];
  mode: EnsembleMode;
}

/**
 * Trains each model on the raw rows and the segmented ones that are not copies of a test row;
 * predicts the test rows from the members' averaged probabilities (one member: its own).
 */
function trainAndPredict(
  trainRaw: readonly SourceRow[],
  test: readonly SourceRow[],
  segmented: readonly { tokens: string[]; label: string }[],
  ensemble: Ensemble,
  fit: FitOptions,
  avoid: readonly SourceRow[] = [],
): { predictions: Prediction[]; trainMs: number; dropped: number; trainSeg: unknown[]; trainRows: number } {
  // Copies of the test rows (and of `avoid`: the held-out rows, in cross-validation) are dropped.
  const copies = copiesOfRaw(segmented, [...test, ...avoid]);
  const trainSeg = segmented.filter((_, i) => copies[i].length === 0);
  const dropped = segmented.length - trainSeg.length;
  const started = performance.now();
  // Raw rows read as the segmented file was made: jieba's words without the words it dropped upstream.
  const read = fit.alignRaw ? alignedReader(trainRaw, trainSeg) : (text: string) => text;
  const examples = [
    ...trainSeg.map((r) => ({ tokens: r.tokens, label: r.label })),
    ...trainRaw.map((r) => ({ text: read(r.text), label: r.tipdm! })),
  ];
  // A raw row (the test's kind of text) may count more than a segmented one; with
  // `balanced`, each label's rows count inversely to its share.
  const perLabel = new Map<string, number>();
  for (const e of examples) perLabel.set(e.label, (perLabel.get(e.label) ?? 0) + 1);
  const balance = (label: string) => (fit.balanced ? examples.length / (perLabel.size * perLabel.get(label)!) : 1);
  const weights = examples.map((e, i) => (i >= trainSeg.length ? fit.rawWeight : 1) * balance(e.label));
  // The label table's rows last, each at its own weight (not counted in the balance).
  for (const r of fit.scope) {
    examples.push({ text: r.text, label: r.label });
    weights.push(fit.scopeWeight);
  }
  const models = ensemble.members.map((m) =>
    trainMember(
      m,
      examples.map((e) => featureCounts(e, m.features)),
      examples.map((e) => e.label),
      weights,
    ),
  );
  const labels = models[0].labels;
  if (models.some((m) => m.labels.join('\u0000') !== labels.join('\u0000'))) {
    throw new Error('the ensemble members have different classes');
  }
  const trainMs = performance.now() - started;
  const predictions: Prediction[] = test.map((r) => {
    const t = performance.now();
    const text = read(r.text);
    const p = averageProbabilities(
      models.map((m, j) => m.probabilities(featureCounts({ text }, ensemble.members[j].features))),
      ensemble.mode,
    );
    const best = argmax(p);
    return { truth: r.tipdm!, predicted: labels[best], confidence: p[best], ms: performance.now() - t };
  });
  return { predictions, trainMs, dropped, trainSeg, trainRows: examples.length };
}

/**
 * The segmented file's words are jieba's with a stop list removed upstream (的, 了, 我们, punctuation…). That list
 * is read off the training rows: words in at least STOP_MIN_ROWS raw training rows and in no segmented training
 * row. A raw text is then cut, those words dropped and the rest joined, so raw and segmented rows give the
 * features the same n-grams (no test row takes part in the list).
 */
const STOP_MIN_ROWS = 3;
export function alignedReader(
  trainRaw: readonly SourceRow[],
  trainSeg: readonly { tokens: string[] }[],
): (text: string) => string {
  const inSegmented = new Set(trainSeg.flatMap((r) => r.tokens));
  const rows = new Map<string, number>();
  for (const r of trainRaw)
    for (const w of new Set(cutWords(normalizeText(r.text)))) rows.set(w, (rows.get(w) ?? 0) + 1);
  const stop = new Set([...rows].filter(([w, n]) => n >= STOP_MIN_ROWS && !inSegmented.has(w)).map(([w]) => w));
  return (text) =>
    cutWords(normalizeText(text))
      .filter((w) => !stop.has(w))
      .join('');
}

interface FitOptions {
  /** Raw rows read as the segmented ones were made (`--align-raw`, alignedReader). */
  alignRaw: boolean;
  lambda: number;
  rawWeight: number;
  /** Rows made of the TipDM label table, each counting `scopeWeight` (none at 0). */
  scope: { text: string; label: string }[];
  scopeWeight: number;
  balanced: boolean;
  note: string;
  learnerNote: string;
  /** `--learner`, `--bayes` (learners.ts); `--candidates` names its own learners. */
  train: Partial<TrainOptions>;
}

/**
 * L2 penalty of the TipDM task's model, chosen by grouped 5-fold over the raw training rows
 * (`--tipdm --cv 5 [--lambda X]`, nlp/README.md): 1e-5 (the trainer's default) 0.8970, 3e-5 0.8891,
 * 3e-6 0.9017; `--class-weight balanced` 0.8986, raw rows ×3 0.8954.
 */
export const TIPDM_LAMBDA = 3e-6;
/**
 * The task's learner (`--learner`, learners.ts) and naive Bayes blend (`--bayes`; `--bayes none`
 * and `--learner lr` give the plain regression), chosen by grouped 5-fold over the raw training
 * rows on the same folds (`--tipdm --cv 5 --candidates lr,nbs01,nbs1,ep24avg12`, nlp/README.md):
 * the plain regression 0.9017; NB-weighted features (nbs01) with complement naive Bayes α 0.01
 * blended at 0.25 / 0.5 / 1, 0.9128 each (576 of 631; 0.9097–0.9113 at 0.1, 2, 4).
 */
export const TIPDM_LEARNER = 'nbs01';
export const TIPDM_BAYES: string | undefined = 'cnb:0.01:0.5';
/**
 * The task's default ensemble (`--ensemble`, tipdmEnsemble.ts): members whose class probabilities
 * are averaged; undefined, the single model above. The model above with the 20 nearest training rows
 * (classifier/neighbours.ts), chosen by grouped 5-fold over the raw training rows with three SGD seeds
 * (`--tipdm --cv 5 --ensemble M[@2|@3],wordschar4/knn20,…`, nlp/README.md): 588 / 584 / 585 of 631
 * against 584 / 578 / 580 for the model alone.
 */
export const TIPDM_ENSEMBLE: { members: readonly string[]; mode: EnsembleMode } | undefined = {
  members: ['wordschar4/nbs01+cnb:0.01:0.5', 'wordschar4/knn20'],
  mode: 'mean',
};

/**
 * The weight of each row made of the TipDM label table (real/tipdmScope.ts: "城市建设和市政管理 环境卫生"
 * → 城乡建设), chosen by grouped 5-fold over the raw training rows (`--tipdm --cv 5 --scope-weight W`,
 * nlp/README.md): 0 (the table left out) and 1 576 of 631 right, 5, 10 and 20 584 each.
 */
export const TIPDM_SCOPE_WEIGHT = 5;

/**
 * `--lambda X` (L2), `--raw-weight W` (raw rows count W), `--class-weight balanced`, `--scope-weight W`
 * (the label table's rows): chosen by `--cv`.
 */
function fitOptions(args: Args, table: FitOptions['scope']): FitOptions {
  const lambda = args.number('lambda') ?? TIPDM_LAMBDA;
  const scopeWeight = args.number('scope-weight') ?? TIPDM_SCOPE_WEIGHT;
  if (!(scopeWeight >= 0)) throw new UsageError('--scope-weight takes a weight ≥ 0');
  const rawWeight = args.number('raw-weight') ?? 1;
  const classWeight = args.value('class-weight');
  if (classWeight !== undefined && classWeight !== 'balanced') {
    throw new UsageError(`unknown --class-weight ${classWeight} (balanced)`);
  }
  const learner = learnerFromArgs(args, { learner: TIPDM_LEARNER, bayes: TIPDM_BAYES });
  // Named only when there is a table to train on (the data folder may lack it).
  const scope = scopeWeight > 0 ? table : [];
  const note = [
    `, λ ${lambda}`,
    rawWeight === 1 ? '' : `, raw ×${rawWeight}`,
    classWeight ? ', balanced' : '',
    scope.length ? `, label table ×${scopeWeight}` : '',
  ].join('');
  // Tried and not adopted (nlp/README.md): off unless asked for.
  const alignRaw = args.flags.has('align-raw');
  return {
    alignRaw,
    lambda,
    rawWeight,
    scopeWeight,
    scope,
    balanced: classWeight === 'balanced',
    note: alignRaw ? `${note}, raw rows aligned` : note,
    learnerNote: learner.note,
    train: learner.train,
  };
}

type SameFolds = FoldInput & { k: number; heldOut: SourceRow[] };

/** The rows, folds and weights `--candidates` and `--ensemble` share with `--cv` (the same folds). */
function sameFolds(
  k: number,
  trainAll: readonly SourceRow[],
  raw: readonly SourceRow[],
  segmented: readonly { tokens: string[]; label: string }[],
  fit: FitOptions,
  split: NonNullable<ReturnType<typeof readSplit>>,
): SameFolds {
  return {
    rows: trainAll,
    foldOfRow: trainAll.map((r) => foldOf(split.groupOf(keyOf(r)), k)),
    k,
    heldOut: raw.filter((r) => split.isTest(keyOf(r))),
    segmented,
    scope: fit.scope,
    scopeWeight: fit.scopeWeight,
    weightOf: (label, isRaw, counts) => {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      return (isRaw ? fit.rawWeight : 1) * (fit.balanced ? total / (counts.size * counts.get(label)!) : 1);
    },
  };
}

function runCandidates(names: string, folds: SameFolds, features: FeatureConfig, fit: FitOptions): string {
  const learners: LearnerCandidate[] = names.split(',').map((name) => {
    return { name, train: { features, minDf: 2, lambda: fit.lambda, ...learnerOptions(name) } };
  });
  const started = performance.now();
  const results = evaluateCandidates({
    ...folds,
    features,
    learners,
    grid: DEFAULT_BAYES_GRID,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const minutes = ((performance.now() - started) / 60000).toFixed(1);
  return [
    `7 TipDM labels; grouped ${folds.k}-fold over the ${folds.rows.length} raw rows outside the held-out split (held-out rows untouched); ${learners.length} regression(s)${fit.note}, naive Bayes α ${DEFAULT_BAYES_GRID.alphas.join(' / ')} blended at ${DEFAULT_BAYES_GRID.weights.join(' / ')}; ${minutes} min`,
    '',
    formatCandidates(results, learners[0].name),
  ].join('\n');
}

/** `--ensemble A,B,… --cv K`: each member and every ensemble of them on the same folds (tipdmEnsemble.ts). */
function runEnsembles(specs: string, variant: string, folds: SameFolds, fit: FitOptions): string {
  const members = specs.split(',').map((spec) => parseMember(spec, variant, { minDf: 2, lambda: fit.lambda }));
  const started = performance.now();
  const results = evaluateEnsembles({
    ...folds,
    members,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const minutes = ((performance.now() - started) / 60000).toFixed(1);
  return [
    `7 TipDM labels; grouped ${folds.k}-fold over the ${folds.rows.length} raw rows outside the held-out split (held-out rows untouched); ${members.length} member(s)${fit.note}, each alone and every ensemble of them (mean of probabilities, mean of log-probabilities); ${minutes} min`,
    '',
    formatCandidates(results, members[0].name),
  ].join('\n');
}
