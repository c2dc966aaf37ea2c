import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefaultTaxonomy } from '../taxonomy/load.js';
import type { Taxonomy } from '../taxonomy/schema.js';
import { createClassifier, DEFAULT_THRESHOLD, type Classifier } from './classify.js';
import { DEFAULT_CORPUS_DIR, corpusFiles, fingerprint, readCorpus, seedExamples, type SkippedRow } from './corpus.js';
import { deserializeModel, MODEL_FORMAT, serializeModel, type LinearModel } from './model.js';
import { DEFAULT_TRAIN, trainLinear, type Example, type TrainOptions } from './train.js';

export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../model/model.json', import.meta.url));

/** NLP_MODEL_PATH wins over the default; an explicit path wins over both. */
export function resolveModelPath(explicit?: string): string {
  return explicit ?? process.env.NLP_MODEL_PATH ?? DEFAULT_MODEL_PATH;
}

export interface TrainStats {
  files: string[];
  rows: number;
  seeds: number;
  classes: number;
  features: number;
  skipped: SkippedRow[];
  temperature: number;
  ms: number;
  fingerprint: string;
}

export interface TrainedClassifier extends Classifier {
  model: LinearModel;
  stats: TrainStats;
  /** Writes the model atomically (temp file, then rename). */
  save(path: string): void;
}

export interface TrainClassifierOptions {
  taxonomy?: Taxonomy;
  corpusDir?: string;
  threshold?: number;
  train?: Partial<TrainOptions>;
}

// Part of the fingerprint, with the training settings: bump it when a change to the
// features or the trainer should retrain the models already saved.
const TRAINER_VERSION = 1;

function settingsOf(train: Partial<TrainOptions>) {
  const { onProgress: _ignored, ...rest } = { ...DEFAULT_TRAIN, ...train };
  return { version: TRAINER_VERSION, format: MODEL_FORMAT, ...rest };
}

/**
 * Trains on the corpus (every *.jsonl in corpusDir, labelled by 小类) plus each
 * 小类's name and synonyms from the table.
 */
export function trainClassifier(options: TrainClassifierOptions = {}): TrainedClassifier {
  const taxonomy = options.taxonomy ?? loadDefaultTaxonomy();
  const corpusDir = options.corpusDir ?? DEFAULT_CORPUS_DIR;
  const corpus = readCorpus(corpusDir, taxonomy);
  if (corpus.examples.length === 0) {
    throw new Error(`no usable corpus rows in ${corpusDir} (${corpus.skipped.length} skipped)`);
  }
  const seeds = seedExamples(taxonomy);
  const examples: Example[] = [...corpus.examples, ...seeds];
  const started = performance.now();
  const model = trainLinear(examples, options.train);
  const stats: TrainStats = {
    files: corpus.files,
    rows: corpus.examples.length,
    seeds: seeds.length,
    classes: model.labels.length,
    features: model.index.size,
    skipped: corpus.skipped,
    temperature: model.temperature,
    ms: Math.round(performance.now() - started),
    fingerprint: fingerprint(corpus.files, taxonomy, settingsOf(options.train ?? {})),
  };
  const classifier = createClassifier(model, taxonomy, { threshold: options.threshold });
  return {
    ...classifier,
    model,
    stats,
    save(path) {
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(
        temp,
        serializeModel(model, { city: taxonomy.city, fingerprint: stats.fingerprint, rows: stats.rows }),
      );
      renameSync(temp, path);
    },
  };
}

export interface LoadOrTrainOptions extends TrainClassifierOptions {
  modelPath?: string;
  onLog?: (message: string) => void;
}

function readSavedModel(path: string, taxonomy: Taxonomy): { model: LinearModel; fingerprint?: string } | string {
  if (!existsSync(path)) return 'no model file';
  try {
    const { model, meta } = deserializeModel(readFileSync(path, 'utf8'));
    const unknown = model.labels.filter((code) => taxonomy.byCode(code)?.level !== '小类');
    if (unknown.length > 0) return `model has 小类 the table lacks (${unknown.slice(0, 3).join(', ')})`;
    return { model, fingerprint: typeof meta.fingerprint === 'string' ? meta.fingerprint : undefined };
  } catch (error) {
    return `unreadable model: ${(error as Error).message}`;
  }
}

/**
 * The server's entry point: loads the saved model, or trains and saves one when it is
 * missing, unreadable, made for another table, or older than the corpus beside it.
 */
export async function loadOrTrainClassifier(options: LoadOrTrainOptions = {}): Promise<Classifier> {
  const taxonomy = options.taxonomy ?? loadDefaultTaxonomy();
  const modelPath = resolveModelPath(options.modelPath);
  const corpusDir = options.corpusDir ?? DEFAULT_CORPUS_DIR;
  const log = options.onLog ?? (() => {});

  const saved = readSavedModel(modelPath, taxonomy);
  if (typeof saved !== 'string') {
    // Only the file list is needed to compare fingerprints: no row is parsed here.
    const files = corpusFiles(corpusDir);
    // Without a corpus (a deployment that ships the model alone) the saved model stands.
    const current = files.length ? fingerprint(files, taxonomy, settingsOf(options.train ?? {})) : saved.fingerprint;
    if (current === saved.fingerprint) {
      log(`classifier: loaded ${modelPath}`);
      return createClassifier(saved.model, taxonomy, { threshold: options.threshold ?? DEFAULT_THRESHOLD });
    }
    log(`classifier: ${modelPath} is older than the corpus, retraining`);
  } else {
    log(`classifier: ${saved} at ${modelPath}, training`);
  }
  const trained = trainClassifier({ ...options, taxonomy, corpusDir });
  trained.save(modelPath);
  log(`classifier: trained on ${trained.stats.rows} rows in ${trained.stats.ms} ms, saved ${modelPath}`);
  return trained;
}
