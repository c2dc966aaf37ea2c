import { describe, expect, it } from 'vitest';
import { featureCounts } from '../../nlp/classifier/features.js';
import { deserializeModel, predict, probabilities, serializeModel } from '../../nlp/classifier/model.js';
import { blendLinear, fitBayes, prepare, trainOnCounts } from '../../nlp/classifier/train.js';
import { buildCorpusRows } from './helpers/fixtures.js';

// Two features with IDF 1: a document's vector is its L2-normalised sub-linear TF.
const like = {
  index: new Map([
    [11, 0],
    [22, 1],
  ]),
  idf: Float32Array.of(1, 1),
  features: { charMin: 1, charMax: 1, wordBigrams: false },
};
const tiny = prepare(
  [
    new Map([[11, 1]]),
    new Map([[22, 1]]),
    new Map([
      [11, 1],
      [22, 1],
    ]),
  ],
  ['a', 'b', 'a'],
);
const R = Math.SQRT1_2;

/** Rows of two classes, each centred on its mean: what fitBayes keeps of log θ. */
function expectCentred(weights: Float32Array, raw: number[]) {
  for (let f = 0; f < raw.length; f += 2) {
    const mean = (raw[f] + raw[f + 1]) / 2;
    expect(weights[f]).toBeCloseTo(raw[f] - mean, 6);
    expect(weights[f + 1]).toBeCloseTo(raw[f + 1] - mean, 6);
  }
}

describe('fitBayes on a tiny corpus', () => {
  it('multinomial: log θ(c,f) from each class feature mass, smoothed by α, and log priors', () => {
    const nb = fitBayes(tiny, [0, 1, 2], like, { alpha: 1, complement: false });
    // Class a holds [1, 0] and [R, R]: mass 1 + R on f0, R on f1; class b [0, 1].
    const expected = [
      Math.log((1 + R + 1) / (1 + 2 * R + 2)), // f0, a
      Math.log((0 + 1) / (1 + 2)), // f0, b
      Math.log((R + 1) / (1 + 2 * R + 2)), // f1, a
      Math.log((1 + 1) / (1 + 2)), // f1, b
    ];
    expectCentred(nb.weights, expected);
    expect(nb.bias[0]).toBeCloseTo(Math.log(2 / 3), 6);
    expect(nb.bias[1]).toBeCloseTo(Math.log(1 / 3), 6);
  });

  it('complement: −log θ of the other classes, no prior', () => {
    const nb = fitBayes(tiny, [0, 1, 2], like, { alpha: 1, complement: true });
    const expected = [
      -Math.log((0 + 1) / (1 + 2)), // f0, a: the mass of b
      -Math.log((1 + R + 1) / (1 + 2 * R + 2)), // f0, b: the mass of a
      -Math.log((1 + 1) / (1 + 2)),
      -Math.log((R + 1) / (1 + 2 * R + 2)),
    ];
    expectCentred(nb.weights, expected);
    expect([...nb.bias]).toEqual([0, 0]);
  });

  it('counts an example by its weight, as if it were there twice', () => {
    const twice = prepare([...tiny.counts, tiny.counts[1]], ['a', 'b', 'a', 'b']);
    const weighted = fitBayes(tiny, [0, 1, 2], like, { alpha: 0.5, complement: false, weights: [1, 2, 1] });
    const repeated = fitBayes(twice, [0, 1, 2, 3], like, { alpha: 0.5, complement: false });
    [...weighted.weights].forEach((w, j) => expect(w).toBeCloseTo(repeated.weights[j], 6));
    [...weighted.bias].forEach((b, c) => expect(b).toBeCloseTo(repeated.bias[c], 6));
  });

  it('only the rows given train it', () => {
    const nb = fitBayes(tiny, [0, 1], like, { alpha: 1, complement: false });
    // Class a: [1, 0] only; class b: [0, 1]. Row f0 is log(2/3), log(1/3) before centring.
    expect(nb.weights[0]).toBeCloseTo(Math.log(2 / 3) - (Math.log(2 / 3) + Math.log(1 / 3)) / 2, 6);
    expect(nb.bias[0]).toBeCloseTo(Math.log(1 / 2), 6);
  });
});

describe('the regression blended with naive Bayes', () => {
  const rows = buildCorpusRows();
  const features = { charMin: 1, charMax: 3, wordBigrams: false };
  const counts = rows.map(({ text }) => featureCounts({ text }, features));
  const labels = rows.map((r) => r.code!);
  const bayes = { alpha: 0.1, complement: true, weight: 0.5 };

  it('has logits equal to the regression’s plus the weight times the naive Bayes ones', () => {
    const lr = trainOnCounts(counts, labels, { features, minDf: 1, calibrate: false });
    const nb = fitBayes(
      prepare(counts, labels),
      labels.map((_, i) => i),
      lr,
      bayes,
    );
    const blend = blendLinear(lr, nb, 0.5);
    for (let j = 0; j < blend.weights.length; j += 97) {
      expect(blend.weights[j]).toBeCloseTo(lr.weights[j] + 0.5 * nb.weights[j], 5);
    }
    expect(blend.bias[1]).toBeCloseTo(lr.bias[1] + 0.5 * nb.bias[1], 5);
    expect(blend.index).toBe(lr.index);
  });

  it('gives a probability distribution, and survives the model file unchanged in format', () => {
    const model = trainOnCounts(counts, labels, { features, minDf: 1, bayes });
    const plain = trainOnCounts(counts, labels, { features, minDf: 1 });
    expect(Buffer.from(model.weights.buffer).equals(Buffer.from(plain.weights.buffer))).toBe(false);
    const { model: loaded } = deserializeModel(serializeModel(model));
    for (const text of ['路灯不亮', '工地太吵', '拖欠工资', '井盖丢了']) {
      const p = probabilities(model, { text });
      expect([...p].every((x) => x >= 0 && x <= 1)).toBe(true);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      const [a, b] = [predict(loaded, { text }), predict(model, { text })];
      expect(a.map((r) => r.label)).toEqual(b.map((r) => r.label));
      a.forEach((r, i) => expect(Math.abs(r.p - b[i].p)).toBeLessThan(0.01));
    }
  });
});

describe('iterate averaging', () => {
  const rows = buildCorpusRows();
  const features = { charMin: 1, charMax: 3, wordBigrams: false };
  const counts = rows.map(({ text }) => featureCounts({ text }, features));
  const labels = rows.map((r) => r.code!);

  it('over the last epoch only is the last iterate', () => {
    const last = trainOnCounts(counts, labels, { features, minDf: 1, calibrate: false });
    const one = trainOnCounts(counts, labels, { features, minDf: 1, calibrate: false, averageEpochs: 1 });
    [...one.weights].forEach((w, j) => expect(w).toBeCloseTo(last.weights[j], 5));
  });

  it('over several epochs is another model, still a distribution', () => {
    const last = trainOnCounts(counts, labels, { features, minDf: 1, calibrate: false });
    const avg = trainOnCounts(counts, labels, { features, minDf: 1, calibrate: false, averageEpochs: 6 });
    const diff = [...avg.weights].reduce((m, w, j) => Math.max(m, Math.abs(w - last.weights[j])), 0);
    expect(diff).toBeGreaterThan(1e-4);
    const p = probabilities(avg, { text: '路灯不亮' });
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});

describe('NB-weighted features (nbScale)', () => {
  const counts = [
    new Map([
      [1, 1],
      [3, 1],
    ]),
    new Map([
      [1, 1],
      [3, 1],
    ]),
    new Map([
      [2, 1],
      [3, 1],
    ]),
    new Map([
      [2, 1],
      [3, 1],
    ]),
  ];
  const labels = ['a', 'a', 'b', 'b'];

  it('scales each IDF by the spread of its naive Bayes log θ: a feature every class shares gets none', () => {
    const plain = trainOnCounts(counts, labels, { minDf: 1, calibrate: false });
    const scaled = trainOnCounts(counts, labels, { minDf: 1, calibrate: false, nbScale: { alpha: 1 } });
    const row = (key: number) => scaled.index.get(key)!;
    expect(scaled.idf[row(3)]).toBeCloseTo(0, 6);
    // A document of class a is (idf1, 1) / norm over features 1 and 3 (feature 3's IDF is 1): class a's
    // mass on feature 1 is 2·v1, on feature 2 none, so θ(a,1) / θ(b,1) = (2·v1 + α) / α with α 1.
    const idf1 = plain.idf[row(1)];
    const v1 = idf1 / Math.hypot(idf1, 1);
    const spread = Math.log(2 * v1 + 1);
    expect(scaled.idf[row(1)]).toBeCloseTo(idf1 * spread, 5);
    expect(scaled.idf[row(2)]).toBeCloseTo(plain.idf[row(2)] * spread, 5);
  });
});
