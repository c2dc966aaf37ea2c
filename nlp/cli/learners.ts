import type { TrainOptions } from '../classifier/train.js';
import type { Args } from './args.js';
import { UsageError } from './args.js';

/**
 * Regressions the evaluation can name (`--learner NAME`, `--candidates A,B`): the trainer's own
 * fit, and the same with iterate averaging, more epochs, or NB-weighted features. Each is laid
 * over the task's base settings: for `--real` that is PRODUCT_TRAIN (classifier/build.ts), whose
 * NB-weighted features (α 0.1, as `nbs01`) `lr` takes off again; `product` is the base as it is.
 */
export const LEARNERS: Record<string, Partial<TrainOptions>> = {
  product: {},
  lr: { nbScale: undefined },
  avg6: { averageEpochs: 6 },
  ep24: { epochs: 24 },
  ep24avg12: { epochs: 24, averageEpochs: 12 },
  nbs003: { nbScale: { alpha: 0.03 } },
  nbs01: { nbScale: { alpha: 0.1 } },
  nbs03: { nbScale: { alpha: 0.3 } },
  nbs1: { nbScale: { alpha: 1 } },
};

export function learnerOptions(name: string): Partial<TrainOptions> {
  const options = LEARNERS[name];
  if (!options) throw new UsageError(`unknown learner ${name} (${Object.keys(LEARNERS).join(', ')})`);
  return options;
}

/** `--bayes mnb|cnb:ALPHA:WEIGHT`: the regression blended with naive Bayes (TrainOptions.bayes). */
export function parseBayes(spec: string | undefined): TrainOptions['bayes'] {
  if (spec === undefined) return undefined;
  const [kind, alpha, weight] = spec.split(':');
  const a = Number(alpha);
  const w = Number(weight);
  if ((kind !== 'mnb' && kind !== 'cnb') || !(a > 0) || !(w > 0)) {
    throw new UsageError(`--bayes ${spec}: expected mnb|cnb:ALPHA:WEIGHT, e.g. cnb:0.1:0.5`);
  }
  return { complement: kind === 'cnb', alpha: a, weight: w };
}

/** The training options `--learner` and `--bayes` name, and a note for the report. */
export function learnerFromArgs(args: Args, defaults: { learner?: string; bayes?: string } = {}) {
  const name = args.value('learner') ?? defaults.learner ?? 'product';
  const bayesSpec = args.value('bayes') ?? defaults.bayes;
  const bayes = parseBayes(bayesSpec === 'none' ? undefined : bayesSpec);
  const train: Partial<TrainOptions> = { ...learnerOptions(name), ...(bayes ? { bayes } : {}) };
  const note = `${name === 'product' ? '' : `, learner ${name}`}${bayes ? `, + ${bayesSpec}` : ''}`;
  return { train, note };
}
