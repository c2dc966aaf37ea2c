import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { trainClassifier, type NewSamplesIn } from '../classifier/build.js';
import { createClassifier } from '../classifier/classify.js';
import { deserializeStaged } from '../classifier/staged.js';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../classifier/corpus.js';
import { PRODUCT_FEATURES, type FeatureConfig } from '../classifier/features.js';
import { chatFigures, classifyChat, formatChatFigures, type ChatOutcome } from '../eval/chat.js';
import { classifyAll, formatRealReport, realFigures, type RealOutcome } from '../eval/real.js';
import { resolveDataDir } from '../real/data.js';
import { readRealSet, type RealExample } from '../real/examples.js';
import { readRealLabels, realPaths } from '../real/labels.js';
import { readSplit } from '../real/split.js';
import type { Taxonomy } from '../taxonomy/schema.js';
import type { Args } from './args.js';
import { UsageError } from './args.js';
import { learnerFromArgs } from './learners.js';

/** Feature variants the README's comparison ran; `product` is what ships. */
export const VARIANTS: Record<string, FeatureConfig> = {
  product: PRODUCT_FEATURES,
  words: { ...PRODUCT_FEATURES, words: true },
  nostrip: { ...PRODUCT_FEATURES, strip: false },
  nolead: { ...PRODUCT_FEATURES, lead: false },
  char4: { ...PRODUCT_FEATURES, charMax: 4 },
  char2: { ...PRODUCT_FEATURES, charMax: 2 },
  objects: { ...PRODUCT_FEATURES, tableObjects: true },
  noobjects: { ...PRODUCT_FEATURES, tableObjects: false },
  wordschar4: { ...PRODUCT_FEATURES, words: true, charMax: 4 },
  /** A segmented row's lead cut at 16 characters (a raw title's median is 19 with its stopwords), or none. */
  wordschar4tl16: { ...PRODUCT_FEATURES, words: true, charMax: 4, tokensLead: 16 },
  wordschar4tl0: { ...PRODUCT_FEATURES, words: true, charMax: 4, tokensLead: 0 },
  wordsnolead: { ...PRODUCT_FEATURES, words: true, lead: false },
  wordschar4nolead: { ...PRODUCT_FEATURES, words: true, charMax: 4, lead: false },
  wordsbigrams: { ...PRODUCT_FEATURES, words: true, wordBigrams: true },
  lead2: { ...PRODUCT_FEATURES, leadRepeat: 2 },
  /** jieba words only, no character n-grams (an ensemble's word view). */
  wordsonly: { ...PRODUCT_FEATURES, words: true, charMax: 0 },
};

/** A group's fold; another `seed` (`--cv-seed`, default none: the folds of every run before it) deals them again. */
export function foldOf(group: string, k: number, seed?: number): number {
  const salt = seed === undefined ? 'cv' : `cv${seed}`;
  return createHash('sha256').update(`${salt}\u0000${group}`).digest().readUInt32BE(0) % k;
}

/**
 * `--real`: trains the product pipeline on the corpus and the real training part and
 * reports on the held-out split. `--real --cv K`: grouped K-fold over the real
 * training part only (near-copies in one fold), for choosing features and the transfer
 * threshold without ever reading the held-out split.
 */
export function runReal(args: Args, taxonomy: Taxonomy): string {
  const corpusDir = args.value('corpus-dir') ?? DEFAULT_CORPUS_DIR;
  const paths = realPaths(corpusDir);
  const labelsPath = args.value('labels') ?? paths.labels;
  const splitPath = args.value('split') ?? paths.split;
  const dataDir = resolveDataDir(args.value('data-dir'));
  const real = readRealSet(dataDir, labelsPath, splitPath, taxonomy);
  if (!real) throw new UsageError(`need the messages in ${dataDir} and a split at ${splitPath}`);
  const variant = args.value('variant') ?? 'product';
  const features = VARIANTS[variant];
  if (!features) throw new UsageError(`unknown variant ${variant} (${Object.keys(VARIANTS).join(', ')})`);
  const realWeight = args.number('real-weight');
  const transferAt = args.number('transfer-at');
  const sidesArg = args.value('sides');
  if (sidesArg !== undefined && sidesArg !== 'gate' && sidesArg !== 'gate+minor') {
    throw new UsageError(`unknown --sides ${sidesArg} (gate, gate+minor)`);
  }
  const sides = sidesArg;
  const learner = learnerFromArgs(args);
  const train = { features, ...learner.train };
  const bujianWeight = args.number('bujian-weight');
  const k = args.number('cv');
  const newSamples = modelsOf(args, 'new-samples');
  const newSampleWeight = args.number('new-weight');
  // --segmented, --seg-weight W: the labelled segmented rows in training (experiments).
  const segmentedIn = modelsOf(args, 'segmented');
  const segmentedWeight = args.number('seg-weight');
  // The review threshold (the server's NLP_REVIEW_THRESHOLD; the chat bot asks a question below it).
  const threshold = args.number('threshold');

  const modelPath = args.value('model');
  if (!k && modelPath) {
    // The saved product model, trained by npm run nlp:train on these same inputs.
    const { model, meta } = deserializeStaged(readFileSync(modelPath, 'utf8'));
    const outcomes = classifyAll(createClassifier(model, taxonomy, { transferAt }), real.test);
    const description =
      `held-out real split (${splitPath.split(/[\\/]/).pop()}): ${real.test.length} messages; ` +
      `model ${modelPath} (${String(meta.realRows)} real + ${Number(meta.rows) - Number(meta.realRows)} corpus rows)`;
    return formatRealReport(realFigures(outcomes), description);
  }
  if (!k) {
    const trained = trainClassifier({
      taxonomy,
      corpusDir,
      real,
      train,
      realWeight,
      transferAt,
      sides,
      newSamples,
      segmentedIn,
      segmentedWeight,
    });
    const outcomes = classifyAll(trained, real.test);
    const description =
      `held-out real split (${splitPath.split(/[\\/]/).pop()}): ${real.test.length} messages; ` +
      `trained on ${trained.stats.realRows} real + ${trained.stats.rows - trained.stats.realRows} corpus rows + ${trained.stats.seeds} table names; ` +
      `variant ${variant}${learner.note}, ${trained.stats.features} features, train ${trained.stats.ms} ms`;
    return formatRealReport(realFigures(outcomes), description);
  }

  const split = readSplit(splitPath)!;
  const folds: RealExample[][] = Array.from({ length: k }, () => []);
  const cvSeed = args.number('cv-seed');
  for (const e of real.train) folds[foldOf(split.groupOf(e.real.key), k, cvSeed)].push(e);
  // --score-labels FILE: every labelled message trains its folds, but only those FILE labels are scored,
  // so two label sets (e.g. before and after a labelling round) are compared on the same messages.
  const scoreFile = args.value('score-labels');
  const scoreOnly = scoreFile ? new Set(readRealLabels(scoreFile, taxonomy).labels.map((l) => l.key)) : undefined;
  const outcomes: RealOutcome[] = [];
  // --side-sweep: every fold's model read again with the 非城管 side chosen at each value.
  const sweep = args.flags.has('side-sweep') ? SIDE_SWEEP : [];
  const swept = sweep.map(() => [] as RealOutcome[]);
  // --chat-check: our written corpus's chat-style rows in K folds too, each fold left out of the
  // training of the real fold with its number and classified by that model (the chat's short texts;
  // the real set has next to none). Without it every corpus row trains every fold, as before.
  const chatRows = args.flags.has('chat-check') ? chatStyleRows(corpusDir, taxonomy) : [];
  const chatFolds = Array.from({ length: k }, (_, i) => chatRows.filter((r) => foldOf(r.text, k, cvSeed) === i));
  const chatOutcomes: ChatOutcome[] = [];
  const chatSwept = sweep.map(() => [] as ChatOutcome[]);
  folds.forEach((test, i) => {
    const rest = folds.filter((_, j) => j !== i).flat();
    const trained = trainClassifier({
      taxonomy,
      corpusDir,
      real: { ...real, train: rest, test: [] },
      train,
      realWeight,
      bujianWeight,
      transferAt,
      sides,
      newSamples,
      newSampleWeight,
      segmentedIn,
      segmentedWeight,
      threshold,
      ...(chatRows.length ? { corpusHeldOut: new Set(chatFolds[i].map((r) => r.text)) } : {}),
    });
    const scored = scoreOnly ? test.filter((e) => scoreOnly.has(e.real.key)) : test;
    outcomes.push(...classifyAll(trained, scored));
    chatOutcomes.push(...classifyChat(trained, chatFolds[i]));
    sweep.forEach((sideAt, s) => {
      const classifier = createClassifier(trained.model, taxonomy, { transferAt, sideAt, threshold });
      swept[s].push(...classifyAll(classifier, scored));
      chatSwept[s].push(...classifyChat(classifier, chatFolds[i]));
    });
    process.stderr.write(`fold ${i + 1}/${k} done\n`);
  });
  const dump = args.value('dump');
  if (dump) writeFileSync(dump, outcomes.map(dumpLine).join(''));
  const report = formatRealReport(
    realFigures(outcomes),
    `grouped ${k}-fold${cvSeed === undefined ? '' : ` (--cv-seed ${cvSeed})`} over the real training part (${real.train.length} messages, ${outcomes.length} scored; held-out split untouched; ${real.segmented.length} labelled segmented rows, ${real.segmentedCopies} left out as copies, trained in: ${segmentedIn ?? 'the default'}); variant ${variant}${learner.note}`,
  );
  const chat = chatRows.length
    ? `\n\nchat check (corpus chat-style rows, out of fold; sure = no review flag, so the chat bot confirms without a question): ${formatChatFigures(chatFigures(chatOutcomes))}`
    : '';
  const sideTable = sweep.length ? `\n\n${sideSweep(sweep, swept, chatRows.length ? chatSwept : undefined)}` : '';
  return `${report}${chat}\n\n${transferSweep(outcomes)}${sideTable}`;
}

const MODELS: readonly NewSamplesIn[] = ['none', 'minor', 'gate', 'both'];

/** `--NAME none|minor|gate|both`: which models a later label round trains (undefined: the product's default). */
function modelsOf(args: Args, name: string): NewSamplesIn | undefined {
  const value = args.value(name);
  if (value !== undefined && !MODELS.includes(value as NewSamplesIn)) {
    throw new UsageError(`unknown --${name} ${value} (${MODELS.join(', ')})`);
  }
  return value as NewSamplesIn | undefined;
}

/** One out-of-fold prediction by id and codes (never the text), for the label-quality pass. */
function dumpLine(o: RealOutcome): string {
  const r = o.result;
  return `${JSON.stringify({
    src: o.example.real.src,
    id: o.example.real.id,
    label: o.example.real.minor,
    unsure: o.example.real.unsure,
    predicted: r.minor?.code ?? null,
    confidence: Number(r.confidence.toFixed(4)),
    pOther: r.pOther === undefined ? null : Number(r.pOther.toFixed(4)),
    alternatives: r.alternatives.map((a) => [a.code, Number(a.confidence.toFixed(4))]),
  })}\n`;
}

const SIDE_SWEEP = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];

/** Our written corpus's chat-style rows (`style: chat`), by 小类 code. */
function chatStyleRows(corpusDir: string, taxonomy: Taxonomy): { text: string; label: string }[] {
  return readCorpus(corpusDir, taxonomy)
    .examples.filter((e) => e.style === 'chat' && e.text)
    .map((e) => ({ text: e.text!, label: e.label }));
}

/** For each P(非城管) at which the 非城管 side is chosen: the figures it gives. */
function sideSweep(
  values: readonly number[],
  outcomes: readonly RealOutcome[][],
  chat?: readonly ChatOutcome[][],
): string {
  const lines = [
    `side threshold sweep: 非城管 when P(非城管) >= t   kind+大类   小类   非城管 F1   城管 guessed 非城管${chat ? '   chat right and sure' : ''}`,
  ];
  values.forEach((t, i) => {
    const f = realFigures(outcomes[i]);
    const c = chat ? `   ${(100 * chatFigures(chat[i]).rightSure).toFixed(1)}%` : '';
    lines.push(
      `  ${t.toFixed(2)}   ${f.kindMajor.toFixed(4)}   ${f.minor.toFixed(4)}   ${f.other.f1.toFixed(4)}   ${(100 * f.cityGuessedOther).toFixed(1)}%${c}`,
    );
  });
  return lines.join('\n');
}

/** For each threshold on P(非城管): share of 城管 messages at or above it, and 非城管 recall. */
function transferSweep(outcomes: readonly RealOutcome[]): string {
  const city = outcomes.filter((o) => o.example.real.kind !== '非城管' && o.result.pOther !== undefined);
  const other = outcomes.filter((o) => o.example.real.kind === '非城管' && o.result.pOther !== undefined);
  const lines = ['transfer threshold sweep: P(非城管) >= t   城管 above   非城管 above'];
  for (const t of [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.96, 0.97, 0.975, 0.98, 0.985, 0.99]) {
    const c = city.filter((o) => o.result.pOther! >= t).length / Math.max(1, city.length);
    const n = other.filter((o) => o.result.pOther! >= t).length / Math.max(1, other.length);
    lines.push(`  ${t.toFixed(3)}  ${(100 * c).toFixed(1).padStart(6)}%   ${(100 * n).toFixed(1).padStart(6)}%`);
  }
  return lines.join('\n');
}
