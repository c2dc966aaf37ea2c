export type { Category, Kind, Level, Taxonomy, TaxonomyDoc } from './taxonomy/schema.js';
export { loadTaxonomy, loadTaxonomyFile, loadDefaultTaxonomy, TaxonomyError } from './taxonomy/load.js';

export type { Alternative, CategoryRef, Classification, Classifier } from './classifier/classify.js';
export { DEFAULT_THRESHOLD } from './classifier/classify.js';
export type { ReviewReason } from './text/judgeable.js';
export type { LoadOrTrainOptions, TrainClassifierOptions, TrainedClassifier, TrainStats } from './classifier/build.js';
export { loadOrTrainClassifier, trainClassifier, resolveModelPath, DEFAULT_MODEL_PATH } from './classifier/build.js';
export { DEFAULT_CORPUS_DIR } from './classifier/corpus.js';

export type { Entities } from './extract/entities.js';
export { extractEntities } from './extract/entities.js';
