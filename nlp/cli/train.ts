import { trainClassifier, resolveModelPath } from '../classifier/build.js';
import { DEFAULT_CORPUS_DIR } from '../classifier/corpus.js';
import { progressBar } from '../eval/progress.js';
import { loadDefaultTaxonomy, loadTaxonomyFile } from '../taxonomy/load.js';
import { parseArgs, UsageError } from './args.js';

const USAGE = `usage: npm run nlp:train -- [--out FILE] [--corpus-dir DIR] [--taxonomy FILE]
Trains the classifier on every *.jsonl in the corpus directory (default nlp/corpus)
and writes the model to --out, else $NLP_MODEL_PATH, else nlp/model/model.json.`;

function main(argv: string[]): void {
  const args = parseArgs(argv, { lists: [], flags: ['help'], values: ['out', 'corpus-dir', 'taxonomy'] });
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
    `corpus: ${stats.rows} rows from ${stats.files.length} files, ${stats.skipped.length} skipped, + ${stats.seeds} table names`,
  );
  console.log(`classes: ${stats.classes}, features: ${stats.features}, temperature: ${stats.temperature.toFixed(3)}`);
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
