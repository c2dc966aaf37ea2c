import { describe, expect, it } from 'vitest';
import { logits, softmax, vectorize } from '../../nlp/classifier/model.js';
import { networkLogits, trainNetworkOnCounts } from '../../nlp/classifier/network.js';
import { trainOnCounts } from '../../nlp/classifier/train.js';

// Four features, two of which make the class together: {a, x} and {b, y} are P, {a, y} and {b, x}
// are Q. Every feature is in as many P as Q rows, so no sum of per-feature weights tells them apart.
const A = 1;
const B = 2;
const X = 3;
const Y = 4;
const pairs: [number, number, string][] = [
  [A, X, 'P'],
  [B, Y, 'P'],
  [A, Y, 'Q'],
  [B, X, 'Q'],
];
const rows = Array.from({ length: 40 }, (_, i) => pairs[i % 4]);
const counts = rows.map(
  ([f, g]) =>
    new Map([
      [f, 1],
      [g, 1],
    ]),
);
const labels = rows.map(([, , l]) => l);
const options = { minDf: 1, calibrate: false };

function accuracy(
  score: (x: ReturnType<typeof vectorize>) => Float64Array,
  model: { index: Map<number, number>; idf: Float32Array; labels: string[] },
) {
  let right = 0;
  for (const [f, g, label] of pairs) {
    const z = score(
      vectorize(
        new Map([
          [f, 1],
          [g, 1],
        ]),
        model.index,
        model.idf,
      ),
    );
    if (model.labels[z[0] > z[1] ? 0 : 1] === label) right++;
  }
  return right / pairs.length;
}

describe('the small network', () => {
  it('learns classes made by two features together, which the linear model cannot', () => {
    const linear = trainOnCounts(counts, labels, options);
    const linearRight = accuracy((x) => logits(linear, x, new Float64Array(2)), linear);
    expect(linearRight).toBeLessThanOrEqual(0.75);

    const network = trainNetworkOnCounts(counts, labels, options, { hidden: 16, epochs: 200, eta0: 0.01, dropout: 0 });
    expect(accuracy((x) => networkLogits(network, x, new Float64Array(2)), network)).toBe(1);
    const p = softmax(
      networkLogits(
        network,
        vectorize(
          new Map([
            [A, 1],
            [X, 1],
          ]),
          network.index,
          network.idf,
        ),
        new Float64Array(2),
      ),
      network.temperature,
    );
    expect(p[network.labels.indexOf('P')]).toBeGreaterThan(0.9);
  });

  it('repeats exactly with the same seed, and differs with another', () => {
    const first = trainNetworkOnCounts(counts, labels, options, { hidden: 8, epochs: 5 });
    const again = trainNetworkOnCounts(counts, labels, options, { hidden: 8, epochs: 5 });
    const other = trainNetworkOnCounts(counts, labels, { ...options, seed: 7 }, { hidden: 8, epochs: 5 });
    expect(Array.from(again.w1)).toEqual(Array.from(first.w1));
    expect(Array.from(other.w1)).not.toEqual(Array.from(first.w1));
  });

  it('fits a temperature on a held-out fifth when asked', () => {
    const calibrated = trainNetworkOnCounts(
      counts,
      labels,
      { minDf: 1, calibrate: true },
      { hidden: 8, epochs: 20, eta0: 0.01 },
    );
    expect(calibrated.temperature).toBeGreaterThan(0);
    expect(calibrated.temperature).not.toBe(1);
  });
});
