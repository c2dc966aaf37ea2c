import { trainClassifier, resolveModelPath } from '../classifier/build.js';
import { DEFAULT_CORPUS_DIR } from '../classifier/corpus.js';
import { progressBar } from '../eval/progress.js';
import { loadDefaultTaxonomy, loadTaxonomyFile } from '../taxonomy/load.js';
import { parseArgs, UsageError } from './args.js';

const USAGE = `usage: npm run nlp:train -- [--out FILE] [--corpus-dir DIR] [--data-dir DIR] [--labels FILE] [--taxonomy FILE]
Trains the classifier on every *.jsonl in the corpus directory (default nlp/corpus) and
on the training part of the real labels (corpus/real/labels.jsonl, split.json), whose
texts are read from --data-dir (default $NLP_DATA_DIR, else ../shared/data/complaints);
writes the model to --out, else $NLP_MODEL_PATH, else nlp/model/model.json.`;

function main(argv: string[]): void {
  const args = parseArgs(argv, {
    lists: [],
    flags: ['help'],
    values: ['out', 'corpus-dir', 'taxonomy', 'data-dir', 'labels'],
  });
  if (args.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const taxonomyFile = args.value('taxonomy');
  const taxonomy = taxonomyFile ? loadTaxonomyFile(taxonomyFile) : loadDefaultTaxonomy();
  const out = resolveModelPath(args.value('out'));
  const progress = progressBar();
  let shownTotal = 0;
  const trained = trainClassifier({
    taxonomy,
    corpusDir: args.value('corpus-dir') ?? DEFAULT_CORPUS_DIR,
    dataDir: args.value('data-dir'),
    labelsPath: args.value('labels'),
    train: {
      onProgress(done, total) {
        if (total !== shownTotal) progress.phase('train', (shownTotal = total));
        progress.update(done);
      },
    },
  });
  progress.stop();
  trained.save(out);

  const { stats } = trained;
  for (const s of stats.skipped) process.stderr.write(`skipped ${s.source}: ${s.reason}\n`);
  console.log(`table: ${taxonomy.city} (${taxonomy.minors().length} 小类)`);
  console.log(
    `trained on: ${stats.rows - stats.realRows} corpus rows + ${stats.realRows} real messages (held-out split excluded) from ${stats.files.length} files, ${stats.skipped.length} skipped, + ${stats.seeds} table names`,
  );
  console.log(
    `classes: ${stats.classes}, features: ${stats.features}, temperature: ${stats.temperature.toFixed(3)} (gate ${stats.gateTemperature.toFixed(3)})`,
  );
  console.log(`train_ms: ${stats.ms}`);
  console.log(`model: ${out}`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
