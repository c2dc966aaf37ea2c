import { predict } from '../classifier/model.js';
import { trainLinear, type TrainOptions } from '../classifier/train.js';
import type { Engine } from './engine.js';

/** The product engine: softmax regression over jieba words and character 1-3-grams. */
export function linearEngine(options: Partial<TrainOptions> = {}): Engine {
  return {
    name: 'ours',
    async train(examples, onProgress) {
      const model = trainLinear(examples, { ...options, onProgress });
      return { predict: (doc) => predict(model, doc) };
    },
  };
}
