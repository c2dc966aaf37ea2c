// Texts per second of classify() on one core over the unlabelled TipDM messages, next
// to jieba segmentation alone on the same texts in the same process. Prints figures
// only; nothing here passes or fails.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../../nlp/eval/metrics.js';
import { loadOrTrainClassifier } from '../../nlp/index.js';
import { resolveDataDir, SOURCES } from '../../nlp/real/data.js';
import { segmenter } from '../../nlp/text/segment.js';

const DATA = join(resolveDataDir(), SOURCES.unlabeled);
const ROUNDS = 5;

function readTexts(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => String((JSON.parse(line) as { text?: unknown }).text ?? ''));
}

// CPU time of this process per round, next to the wall times: on a machine shared with
// other work, preemption inflates wall time but not CPU time (jieba runs on this thread).
const cpuMs: Record<string, number[]> = { jieba: [], classify: [], entities: [] };

function timeEach(
  texts: readonly string[],
  work: (text: string) => unknown,
  cpu?: number[],
  cpuEach?: number[],
): number[] {
  const ms = new Array<number>(texts.length);
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < texts.length; i++) {
    const cpuBefore = cpuEach ? process.cpuUsage() : undefined;
    const started = performance.now();
    work(texts[i]);
    ms[i] = performance.now() - started;
    if (cpuBefore) {
      const used = process.cpuUsage(cpuBefore);
      cpuEach!.push((used.user + used.system) / 1000);
    }
  }
  const used = process.cpuUsage(cpuStart);
  cpu?.push((used.user + used.system) / 1000);
  return ms;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function main(): Promise<void> {
  const path = process.argv[2] ?? DATA;
  const texts = readTexts(path);
  const chars = texts.reduce((n, t) => n + t.length, 0);
  const loadStarted = performance.now();
  const classifier = await loadOrTrainClassifier({ onLog: (m) => process.stderr.write(`${m}\n`) });
  const loadMs = performance.now() - loadStarted;
  // The first message after loading: the warm-up at load is meant to make it like any other.
  const firstStarted = performance.now();
  classifier.classify(texts[0]);
  const firstMs = performance.now() - firstStarted;
  const jieba = segmenter();

  // Warm-up: dictionary load, JIT.
  for (const text of texts.slice(0, 200)) {
    jieba.cut(text, true);
    classifier.classify(text);
  }

  const jiebaRates: number[] = [];
  const classifyRates: number[] = [];
  const entityRates: number[] = [];
  let classifyTimes: number[] = [];
  let jiebaTimes: number[] = [];
  let entityTimes: number[] = [];
  // CPU time of each classify() in the last round: what a text costs, without the time
  // the process spent preempted by other work on the machine (GC on helper threads counts).
  const classifyCpu: number[] = [];
  // Alternating rounds so that load from elsewhere on the machine hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    const j = timeEach(texts, (text) => jieba.cut(text, true), cpuMs.jieba);
    const c = timeEach(
      texts,
      (text) => classifier.classify(text),
      cpuMs.classify,
      round === ROUNDS - 1 ? classifyCpu : undefined,
    );
    // entities are found when first read: this is classify() with them.
    const e = timeEach(texts, (text) => classifier.classify(text).entities, cpuMs.entities);
    jiebaRates.push((texts.length * 1000) / j.reduce((a, b) => a + b, 0));
    classifyRates.push((texts.length * 1000) / c.reduce((a, b) => a + b, 0));
    entityRates.push((texts.length * 1000) / e.reduce((a, b) => a + b, 0));
    classifyTimes = classifyTimes.concat(c);
    jiebaTimes = jiebaTimes.concat(j);
    entityTimes = entityTimes.concat(e);
  }
  classifyTimes.sort((a, b) => a - b);
  jiebaTimes.sort((a, b) => a - b);
  entityTimes.sort((a, b) => a - b);

  const jiebaRate = median(jiebaRates);
  const classifyRate = median(classifyRates);
  const entityRate = median(entityRates);
  console.log(`texts: ${texts.length} (${Math.round(chars / texts.length)} chars on average) from ${path}`);
  console.log(`rounds: ${ROUNDS}, median shown`);
  console.log(`jieba_cut: ${Math.round(jiebaRate)} texts/s`);
  console.log(`classify: ${Math.round(classifyRate)} texts/s (category only: normalise, judge, features, model)`);
  console.log(`classify_p50_ms: ${percentile(classifyTimes, 0.5).toFixed(3)}`);
  console.log(`classify_p99_ms: ${percentile(classifyTimes, 0.99).toFixed(3)}`);
  classifyCpu.sort((a, b) => a - b);
  console.log(
    `classify_cpu_p50_ms: ${percentile(classifyCpu, 0.5).toFixed(3)}, p99 ${percentile(classifyCpu, 0.99).toFixed(3)}, max ${classifyCpu[classifyCpu.length - 1].toFixed(3)} (CPU time per text, last round)`,
  );
  console.log(`load_ms: ${loadMs.toFixed(0)} (model read and warmed up); first_classify_ms: ${firstMs.toFixed(3)}`);
  console.log(
    `load_average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${cpus().length} cores)`,
  );
  console.log(`classify_with_entities: ${Math.round(entityRate)} texts/s (and places, times, phones)`);
  console.log(`classify_with_entities_p50_ms: ${percentile(entityTimes, 0.5).toFixed(3)}`);
  console.log(`classify_with_entities_p99_ms: ${percentile(entityTimes, 0.99).toFixed(3)}`);
  console.log(`jieba_cut_p50_ms: ${percentile(jiebaTimes, 0.5).toFixed(3)}`);
  // On a machine shared with other work, preemption lands on single texts and swamps the
  // means; the ratio of medians is the steadier figure.
  console.log(
    `ratio_of_medians: classify takes ${(percentile(classifyTimes, 0.5) / percentile(jiebaTimes, 0.5)).toFixed(2)}x jieba's time per text`,
  );
  console.log(
    `ratio: classify runs at ${(classifyRate / jiebaRate).toFixed(3)} of jieba's speed (${(jiebaRate / classifyRate).toFixed(1)}x slower)`,
  );
  console.log(`ratio_with_entities: ${(entityRate / jiebaRate).toFixed(3)} of jieba's speed`);
  // The least CPU time of each over the rounds: the steadiest figure on a loaded machine.
  const least = (ms: number[]) => Math.min(...ms);
  console.log(
    `cpu_ms: jieba ${least(cpuMs.jieba).toFixed(0)}, classify ${least(cpuMs.classify).toFixed(0)}, with entities ${least(cpuMs.entities).toFixed(0)} (least of ${ROUNDS} rounds)`,
  );
  console.log(
    `ratio_cpu: classify runs at ${(least(cpuMs.jieba) / least(cpuMs.classify)).toFixed(3)} of jieba's speed in CPU time (with entities ${(least(cpuMs.jieba) / least(cpuMs.entities)).toFixed(3)})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
