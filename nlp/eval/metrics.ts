export interface Prediction {
  truth: string;
  /** null when the engine offered no label at all. */
  predicted: string | null;
  confidence: number;
  ms: number;
}

export interface ClassMetrics {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Confusion {
  truth: string;
  predicted: string;
  count: number;
}

export interface Metrics {
  total: number;
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  confusions: Confusion[];
  labels: string[];
  /** counts[truth][predicted], indexed like labels. */
  matrix: number[][];
  latency: { p50: number; p99: number; mean: number };
  throughput: number;
}

export interface ReviewFigures {
  threshold: number;
  flagged: number;
  accuracyKept: number;
  accuracyFlagged: number;
  /** Expected calibration error over ten confidence bins. */
  ece: number;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Accuracy, per-class and macro F1 (over every label seen as truth or prediction), latency. */
export function computeMetrics(predictions: readonly Prediction[]): Metrics {
  const labels = [
    ...new Set([...predictions.map((p) => p.truth), ...predictions.flatMap((p) => (p.predicted ? [p.predicted] : []))]),
  ].sort();
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const support = new Map<string, number>();
  const pairs = new Map<string, Confusion>();
  let correct = 0;
  for (const p of predictions) {
    support.set(p.truth, (support.get(p.truth) ?? 0) + 1);
    if (p.predicted) predicted.set(p.predicted, (predicted.get(p.predicted) ?? 0) + 1);
    if (p.predicted === p.truth) {
      correct++;
      tp.set(p.truth, (tp.get(p.truth) ?? 0) + 1);
    } else {
      const key = `${p.truth}\u0000${p.predicted ?? ''}`;
      const pair = pairs.get(key) ?? { truth: p.truth, predicted: p.predicted ?? '(none)', count: 0 };
      pair.count++;
      pairs.set(key, pair);
    }
  }
  const perClass = labels.map((label) => {
    const precision = ratio(tp.get(label) ?? 0, predicted.get(label) ?? 0);
    const recall = ratio(tp.get(label) ?? 0, support.get(label) ?? 0);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support: support.get(label) ?? 0, precision, recall, f1 };
  });
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const p of predictions) if (p.predicted) matrix[index.get(p.truth)!][index.get(p.predicted)!]++;
  const times = predictions.map((p) => p.ms).sort((a, b) => a - b);
  const totalMs = times.reduce((a, b) => a + b, 0);
  return {
    total: predictions.length,
    accuracy: ratio(correct, predictions.length),
    macroF1: ratio(
      perClass.reduce((a, c) => a + c.f1, 0),
      perClass.length,
    ),
    perClass,
    confusions: [...pairs.values()].sort((a, b) => b.count - a.count || a.truth.localeCompare(b.truth)),
    labels,
    matrix,
    latency: { p50: percentile(times, 0.5), p99: percentile(times, 0.99), mean: ratio(totalMs, times.length) },
    throughput: ratio(predictions.length * 1000, totalMs),
  };
}

/** What a review threshold does: how much goes to a person and how right the rest is. */
export function reviewFigures(predictions: readonly Prediction[], threshold: number): ReviewFigures {
  const kept = predictions.filter((p) => p.confidence >= threshold);
  const flagged = predictions.filter((p) => p.confidence < threshold);
  const right = (list: readonly Prediction[]) => list.filter((p) => p.predicted === p.truth).length;
  let ece = 0;
  for (let bin = 0; bin < 10; bin++) {
    const inBin = predictions.filter((p) => Math.min(9, Math.floor(p.confidence * 10)) === bin);
    if (inBin.length === 0) continue;
    const meanConfidence = inBin.reduce((a, p) => a + p.confidence, 0) / inBin.length;
    ece += (inBin.length / predictions.length) * Math.abs(meanConfidence - right(inBin) / inBin.length);
  }
  return {
    threshold,
    flagged: ratio(flagged.length, predictions.length),
    accuracyKept: ratio(right(kept), kept.length),
    accuracyFlagged: ratio(right(flagged), flagged.length),
    ece,
  };
}
