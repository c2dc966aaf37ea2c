import type { Classification, Classifier } from '../classifier/classify.js';
import type { RealExample } from '../real/examples.js';
import { normalizeText } from '../text/normalize.js';
import { STYLES, styleOf, type Style } from '../text/style.js';

/** What one held-out message got, next to our label. */
export interface RealOutcome {
  example: RealExample;
  style: Style;
  result: Classification;
  ms: number;
}

export interface Slice {
  n: number;
  kindMajor: number;
  minor: number;
}

export interface RealFigures {
  n: number;
  /** kind and 大类 right (a 非城管 message: 非城管). */
  kindMajor: number;
  minor: number;
  other: { precision: number; recall: number; f1: number };
  /** Truth 城管: share given a transfer suggestion (非城管 at high confidence, no review). */
  cityTransferred: number;
  /** Truth 城管: share guessed 非城管 at all (most of them flagged for review instead). */
  cityGuessedOther: number;
  /** [truth 城管, truth 非城管] × [predicted 城管, predicted 非城管, no guess]. */
  confusion: number[][];
  review: number;
  byStyle: Record<string, Slice>;
  byKind: Record<string, Slice>;
  latency: { p50: number; p99: number };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const isCity = (kind: string | null | undefined) => kind === '部件' || kind === '事件';

export function classifyAll(classifier: Classifier, examples: readonly RealExample[]): RealOutcome[] {
  return examples.map((example) => {
    const started = performance.now();
    const result = classifier.classify(example.text ?? '');
    const ms = performance.now() - started;
    return { example, style: styleOf(normalizeText(example.text ?? '')), result, ms };
  });
}

function slice(outcomes: readonly RealOutcome[]): Slice {
  let kindMajor = 0;
  let minor = 0;
  for (const o of outcomes) {
    if (o.result.kind === o.example.real.kind && o.result.major?.code === o.example.real.major) kindMajor++;
    if (o.result.minor?.code === o.example.real.minor) minor++;
  }
  return { n: outcomes.length, kindMajor: ratio(kindMajor, outcomes.length), minor: ratio(minor, outcomes.length) };
}

function groupBy<K extends string>(outcomes: readonly RealOutcome[], key: (o: RealOutcome) => K): Record<K, Slice> {
  const groups = new Map<K, RealOutcome[]>();
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
  return Object.fromEntries([...groups].map(([k, list]) => [k, slice(list)])) as Record<K, Slice>;
}

export function realFigures(outcomes: readonly RealOutcome[]): RealFigures {
  const confusion = [
    [0, 0, 0],
    [0, 0, 0],
  ];
  let transferred = 0;
  let review = 0;
  for (const o of outcomes) {
    const t = isCity(o.example.real.kind) ? 0 : 1;
    const p = o.result.kind === null ? 2 : isCity(o.result.kind) ? 0 : 1;
    confusion[t][p]++;
    if (t === 0 && o.result.transfer) transferred++;
    if (o.result.needsReview) review++;
  }
  const tp = confusion[1][1];
  const precision = ratio(tp, confusion[0][1] + confusion[1][1]);
  const recall = ratio(tp, confusion[1][0] + confusion[1][1] + confusion[1][2]);
  const cities = confusion[0][0] + confusion[0][1] + confusion[0][2];
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.max(0, Math.ceil(q * times.length) - 1))] ?? 0;
  const all = slice(outcomes);
  return {
    n: outcomes.length,
    kindMajor: all.kindMajor,
    minor: all.minor,
    other: { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) },
    cityTransferred: ratio(transferred, cities),
    cityGuessedOther: ratio(confusion[0][1], cities),
    confusion,
    review: ratio(review, outcomes.length),
    byStyle: groupBy(outcomes, (o) => o.style),
    byKind: groupBy(outcomes, (o) => o.example.real.kind),
    latency: { p50: at(0.5), p99: at(0.99) },
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(4);

export function formatRealReport(f: RealFigures, description: string): string {
  const lines = [
    `kind_major_accuracy: ${f3(f.kindMajor)}`,
    `minor_accuracy: ${f3(f.minor)}`,
    `other_f1: ${f3(f.other.f1)} (precision ${f3(f.other.precision)}, recall ${f3(f.other.recall)})`,
    `city_suggested_transfer: ${pct(f.cityTransferred)} of real 城管 messages (guessed 非城管 at all: ${pct(f.cityGuessedOther)}, the rest of those go to review)`,
    `review: ${pct(f.review)} of messages flagged for a person`,
    `messages: ${f.n}`,
    `data: ${description}`,
    '',
    '城管 / 非城管 confusion (rows: our label; columns: predicted 城管, 非城管, no guess)',
    `  城管    ${f.confusion[0].map((n) => String(n).padStart(6)).join('')}`,
    `  非城管  ${f.confusion[1].map((n) => String(n).padStart(6)).join('')}`,
    '',
    'by kind            n   kind+大类   小类',
  ];
  for (const [k, s] of Object.entries(f.byKind)) {
    lines.push(`  ${k.padEnd(12)} ${String(s.n).padStart(5)}   ${f3(s.kindMajor)}    ${f3(s.minor)}`);
  }
  lines.push('', 'by style (rule: nlp/text/style.ts)   n   kind+大类   小类');
  for (const style of STYLES) {
    const s = f.byStyle[style];
    if (s) lines.push(`  ${style.padEnd(33)} ${String(s.n).padStart(5)}   ${f3(s.kindMajor)}    ${f3(s.minor)}`);
  }
  lines.push(
    '',
    `latency_ms: p50 ${f.latency.p50.toFixed(3)}, p99 ${f.latency.p99.toFixed(3)} (classify(), whole pipeline)`,
  );
  return lines.join('\n');
}
