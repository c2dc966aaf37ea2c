import type { Doc } from '../classifier/features.js';
import type { Ranked } from '../classifier/model.js';
import type { Example } from '../classifier/train.js';

/** A trained text classifier under evaluation: labels ranked best first. */
export interface Predictor {
  predict(doc: Doc): Ranked[] | Promise<Ranked[]>;
}

/** Something that can be trained on labelled examples and evaluated on the same folds. */
export interface Engine {
  name: string;
  train(examples: readonly Example[], onProgress?: (done: number, total: number) => void): Promise<Predictor>;
}
