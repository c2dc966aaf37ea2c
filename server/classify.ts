import type { Logger } from 'pino';
import type { Config } from './config.js';
import { loadOrTrainClassifier } from '../nlp/classifier/build.js';
import type { Classifier } from '../nlp/classifier/classify.js';
import type { DecodedModel } from '../nlp/classifier/preread.js';

let cached: Promise<Classifier> | null = null;

/** One classifier per process: loading it is the slowest step of start-up (and of each test file). */
export function loadClassifier(
  config: Config,
  log: Logger,
  preread?: Promise<DecodedModel | null>,
): Promise<Classifier> {
  cached ??= loadOrTrainClassifier({
    modelPath: config.NLP_MODEL_PATH,
    preread,
    threshold: config.NLP_REVIEW_THRESHOLD,
    onLog: (message) => log.info(message),
  });
  return cached;
}
