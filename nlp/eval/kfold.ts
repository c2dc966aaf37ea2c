import type { Doc } from '../classifier/features.js';
import { stratifiedFolds } from '../classifier/split.js';
import type { Example } from '../classifier/train.js';
import type { Engine, Predictor } from '../engines/engine.js';
import type { Prediction } from './metrics.js';
import type { Progress } from './progress.js';

export interface RunOptions {
  /** Added to every training set but never tested on (the table's own names and synonyms). */
  extraTrain?: readonly Example[];
  progress?: Progress;
  /** Prefix for the progress phases. */
  label?: string;
}

async function predictAll(predictor: Predictor, test: readonly Example[], options: RunOptions): Promise<Prediction[]> {
  options.progress?.phase(`${options.label ?? ''}test`.trim(), test.length);
  // The first call may load jieba's dictionary; that is start-up, not per-text latency.
  if (test.length > 0) await predictor.predict({ text: test[0].text, tokens: test[0].tokens });
  const out: Prediction[] = [];
  for (const example of test) {
    const doc: Doc = { text: example.text, tokens: example.tokens };
    const started = performance.now();
    const ranked = await predictor.predict(doc);
    const ms = performance.now() - started;
    out.push({ truth: example.label, predicted: ranked[0]?.label ?? null, confidence: ranked[0]?.p ?? 0, ms });
    options.progress?.update(out.length);
  }
  return out;
}

export interface RunResult {
  predictions: Prediction[];
  trainMs: number[];
}

export async function trainAndTest(
  engine: Engine,
  train: readonly Example[],
  test: readonly Example[],
  options: RunOptions = {},
): Promise<RunResult> {
  const phase = `${options.label ?? ''}train`.trim();
  options.progress?.phase(phase, 1);
  let shownTotal = 1;
  const started = performance.now();
  const predictor = await engine.train([...train, ...(options.extraTrain ?? [])], (done, total) => {
    if (total !== shownTotal) options.progress?.phase(phase, (shownTotal = total));
    options.progress?.update(done);
  });
  const trainMs = performance.now() - started;
  return { predictions: await predictAll(predictor, test, options), trainMs: [trainMs] };
}

/** Stratified k-fold: every example is predicted once, by a model that never saw it. */
export async function crossValidate(
  engine: Engine,
  examples: readonly Example[],
  k: number,
  seed: number,
  options: RunOptions = {},
): Promise<RunResult> {
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    k,
    seed,
  );
  const result: RunResult = { predictions: [], trainMs: [] };
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const test = examples.filter((_, i) => fold[i] === f);
    const run = await trainAndTest(engine, train, test, { ...options, label: `fold ${f + 1}/${k} ` });
    result.predictions.push(...run.predictions);
    result.trainMs.push(...run.trainMs);
  }
  return result;
}
