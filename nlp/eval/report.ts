import type { Metrics, ReviewFigures } from './metrics.js';

export interface ReportContext {
  engine: string;
  description: string;
  trainMs: number[];
  /** How to show a label (a 小类 code as "200505 机动车乱停放"). */
  labelName?: (label: string) => string;
  /** Above this many labels the matrix gives way to the most frequent confusions. */
  maxMatrix?: number;
  topConfusions?: number;
}

const f4 = (x: number) => x.toFixed(4);

function pad(text: string, width: number): string {
  // Chinese characters take two columns in a terminal.
  const shown = [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - shown));
}

function matrix(metrics: Metrics, name: (l: string) => string): string[] {
  const grid = metrics.matrix;
  const width = Math.max(...metrics.labels.map((l) => name(l).length * 2)) + 2;
  const lines = ['confusion matrix (rows: truth, columns: predicted, numbered as the rows):'];
  lines.push(pad('', width + 4) + metrics.labels.map((_, i) => String(i + 1).padStart(6)).join(''));
  metrics.labels.forEach((label, r) => {
    lines.push(
      String(r + 1).padStart(3) + ' ' + pad(name(label), width) + grid[r].map((n) => String(n).padStart(6)).join(''),
    );
  });
  return lines;
}

/** The figures, one per line; accuracy and macro_f1 first, in a fixed form scripts can grep. */
export function formatReport(metrics: Metrics, review: ReviewFigures, context: ReportContext): string {
  const name = context.labelName ?? ((l: string) => l);
  const lines = [
    `accuracy: ${f4(metrics.accuracy)}`,
    `macro_f1: ${f4(metrics.macroF1)}`,
    `engine: ${context.engine}`,
    `data: ${context.description}`,
    '',
    'per class:',
    `${pad('label', 28)}${'support'.padStart(8)}${'precision'.padStart(11)}${'recall'.padStart(9)}${'f1'.padStart(9)}`,
  ];
  for (const c of metrics.perClass) {
    lines.push(
      `${pad(name(c.label), 28)}${String(c.support).padStart(8)}${f4(c.precision).padStart(11)}${f4(c.recall).padStart(9)}${f4(c.f1).padStart(9)}`,
    );
  }
  lines.push('');
  if (metrics.labels.length <= (context.maxMatrix ?? 15)) {
    lines.push(...matrix(metrics, name));
  } else {
    const top = metrics.confusions.slice(0, context.topConfusions ?? 20);
    lines.push(`top confusions (${top.length} of ${metrics.confusions.length} truth → predicted pairs):`);
    for (const c of top) lines.push(`${String(c.count).padStart(5)}  ${name(c.truth)} → ${name(c.predicted)}`);
  }
  const trainTotal = context.trainMs.reduce((a, b) => a + b, 0);
  lines.push(
    '',
    `review: threshold ${review.threshold.toFixed(2)} flags ${(review.flagged * 100).toFixed(1)}%; accuracy of the rest ${f4(review.accuracyKept)}, of the flagged ${f4(review.accuracyFlagged)}; ECE ${f4(review.ece)}`,
    `train_ms: ${Math.round(trainTotal)} (${context.trainMs.map((t) => Math.round(t)).join(', ')})`,
    `latency_p50_ms: ${metrics.latency.p50.toFixed(3)}`,
    `latency_p99_ms: ${metrics.latency.p99.toFixed(3)}`,
    `throughput: ${Math.round(metrics.throughput)} texts/s`,
  );
  return lines.join('\n');
}
