import { DEFAULT_THRESHOLD } from '../classifier/classify.js';
import { DEFAULT_CORPUS_DIR, readCorpus, seedExamples } from '../classifier/corpus.js';
import type { Example } from '../classifier/train.js';
import type { Engine } from '../engines/engine.js';
import { linearEngine } from '../engines/linear.js';
import { readJsonl } from '../eval/dataset.js';
import { crossValidate, trainAndTest, type RunResult } from '../eval/kfold.js';
import { computeMetrics, reviewFigures } from '../eval/metrics.js';
import { progressBar } from '../eval/progress.js';
import { formatReport } from '../eval/report.js';
import { loadDefaultTaxonomy, loadTaxonomyFile } from '../taxonomy/load.js';
import type { Taxonomy } from '../taxonomy/schema.js';
import { parseArgs, UsageError } from './args.js';
import { runReal } from './real.js';
import { runTipdm } from './tipdm.js';

const USAGE = `usage:
  npm run nlp:eval -- --real [--data-dir DIR] [--labels FILE] [--split FILE] [--cv K [--cv-seed N] [--side-sweep] [--chat-check] [--dump FILE] [--score-labels FILE]] [--new-samples none|minor|gate|both] [--new-weight W] [--segmented none|minor|gate|both] [--seg-weight W] [--variant NAME] [--model FILE] [--sides gate|gate+minor] [--learner NAME] [--bayes mnb|cnb:ALPHA:WEIGHT]
  npm run nlp:eval -- --tipdm [--data-dir DIR] [--split FILE] [--cv K] [--variant NAME] [--lambda X] [--raw-weight W] [--class-weight balanced] [--scope-weight W (the TipDM label table's rows; 0 leaves them out)] [--align-raw] [--learner NAME] [--bayes mnb|cnb:ALPHA:WEIGHT] [--candidates lr,avg6,ep24,ep24avg12,nbs01,nbs1 (with --cv)] [--ensemble [VIEW/]LEARNER[+cnb:α:w][@SEED][~BOOT],… (LEARNER also mlpH[eE][rRATE][dDROPOUT], a network) [--ensemble-mode mean|logmean]]
  npm run nlp:eval -- --train FILE... --test FILE [--engine ours|nlpjs]
  npm run nlp:eval -- --kfold 5 --data FILE... [--engine ours|nlpjs]
  npm run nlp:eval -- --corpus [--kfold 5 | --test FILE] [--corpus-dir DIR] [--taxonomy FILE]
options: --seed N (folds and training, default 1), --threshold X (review threshold, default ${DEFAULT_THRESHOLD})
Files are JSONL with "label" and "text" (or space-separated "tokens"). --corpus reads
nlp/corpus/*.jsonl by 小类 code and adds each 小类's name and synonyms to every training set.`;

// node-nlp is a devDependency, loaded only when the comparison asks for it.
const ENGINES: Record<string, () => Promise<Engine>> = {
  ours: async () => linearEngine(),
  nlpjs: async () => (await import('../engines/nlpjs.js')).nlpjsEngine(),
};

function examplesOf(files: string[]): Example[] {
  return files.flatMap((file) => readJsonl(file).map(({ text, tokens, label }) => ({ text, tokens, label })));
}

/** Test rows for a corpus-trained model: labelled by 小类 code or name, resolved through the table. */
function resolveTestRows(file: string, taxonomy: Taxonomy): Example[] {
  const out: Example[] = [];
  let skipped = 0;
  for (const row of readJsonl(file)) {
    const minor = (row.code && taxonomy.byCode(row.code)) || taxonomy.byName(row.label);
    if (minor?.level === '小类') out.push({ text: row.text, tokens: row.tokens, label: minor.code });
    else skipped++;
  }
  if (skipped) process.stderr.write(`${file}: ${skipped} rows with a label the table lacks were left out\n`);
  return out;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, {
    lists: ['train', 'data'],
    flags: ['align-raw', 'chat-check', 'corpus', 'help', 'real', 'side-sweep', 'tipdm'],
    values: [
      'test',
      'kfold',
      'engine',
      'seed',
      'threshold',
      'corpus-dir',
      'taxonomy',
      'data-dir',
      'labels',
      'split',
      'cv',
      'variant',
      'ensemble',
      'ensemble-mode',
      'real-weight',
      'transfer-at',
      'sides',
      'model',
      'dump',
      'bujian-weight',
      'lambda',
      'raw-weight',
      'scope-weight',
      'class-weight',
      'candidates',
      'learner',
      'bayes',
      'score-labels',
      'new-weight',
      'new-samples',
      'segmented',
      'seg-weight',
      'cv-seed',
    ],
  });
  if (args.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  if (args.flags.has('real')) {
    const taxonomyFile = args.value('taxonomy');
    console.log(runReal(args, taxonomyFile ? loadTaxonomyFile(taxonomyFile) : loadDefaultTaxonomy()));
    return;
  }
  if (args.flags.has('tipdm')) {
    console.log(await runTipdm(args));
    return;
  }
  const engineName = args.value('engine') ?? 'ours';
  const makeEngine = ENGINES[engineName];
  if (!makeEngine) throw new UsageError(`unknown engine ${engineName} (ours or nlpjs)`);
  const engine = await makeEngine();
  const seed = args.number('seed') ?? 1;
  const threshold = args.number('threshold') ?? DEFAULT_THRESHOLD;
  const kfold = args.number('kfold');
  const testFile = args.value('test');
  const progress = progressBar();

  let run: RunResult;
  let description: string;
  let labelName: ((label: string) => string) | undefined;

  if (args.flags.has('corpus')) {
    const taxonomyFile = args.value('taxonomy');
    const taxonomy = taxonomyFile ? loadTaxonomyFile(taxonomyFile) : loadDefaultTaxonomy();
    const dir = args.value('corpus-dir') ?? DEFAULT_CORPUS_DIR;
    const corpus = readCorpus(dir, taxonomy);
    if (corpus.examples.length === 0) throw new UsageError(`no corpus rows in ${dir}`);
    for (const s of corpus.skipped) process.stderr.write(`skipped ${s.source}: ${s.reason}\n`);
    labelName = (code) => `${code} ${taxonomy.byCode(code)?.name ?? ''}`.trim();
    const extraTrain = seedExamples(taxonomy);
    const examples = corpus.examples.map(({ text, tokens, label }) => ({ text, tokens, label }));
    const files = corpus.files.map((f) => f.split(/[\\/]/).pop()).join(', ');
    if (testFile) {
      run = await trainAndTest(engine, examples, resolveTestRows(testFile, taxonomy), { extraTrain, progress });
      description = `trained on ${examples.length} corpus rows (${files}) + ${extraTrain.length} table names, tested on ${testFile}`;
    } else {
      const k = kfold ?? 5;
      run = await crossValidate(engine, examples, k, seed, { extraTrain, progress });
      description = `${k}-fold over ${examples.length} corpus rows (${files}) + ${extraTrain.length} table names in every training set`;
    }
  } else if (kfold) {
    const files = args.list('data');
    if (files.length === 0) throw new UsageError('--kfold needs --data FILE...');
    const examples = examplesOf(files);
    run = await crossValidate(engine, examples, kfold, seed, { progress });
    description = `${kfold}-fold over ${examples.length} rows from ${files.join(', ')}`;
  } else if (testFile) {
    const files = args.list('train');
    if (files.length === 0) throw new UsageError('--test needs --train FILE...');
    const train = examplesOf(files);
    const test = examplesOf([testFile]);
    run = await trainAndTest(engine, train, test, { progress });
    description = `trained on ${train.length} rows from ${files.join(', ')}, tested on ${test.length} rows from ${testFile}`;
  } else {
    throw new UsageError('give --train and --test, --kfold with --data, or --corpus');
  }
  progress.stop();

  const metrics = computeMetrics(run.predictions);
  const labels = metrics.labels.length;
  console.log(
    formatReport(metrics, reviewFigures(run.predictions, threshold), {
      engine: engine.name,
      description: `${description}; ${labels} labels`,
      trainMs: run.trainMs,
      labelName,
    }),
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
