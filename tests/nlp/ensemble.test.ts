import { describe, expect, it } from 'vitest';
import { argmax, averageProbabilities, bootstrapWeights } from '../../nlp/classifier/ensemble.js';
import { evaluateEnsembles, parseMember } from '../../nlp/cli/tipdmEnsemble.js';
import type { SourceRow } from '../../nlp/real/data.js';
import { buildCorpusRows } from './helpers/fixtures.js';

const close = (p: Float64Array, expected: number[]) => expected.forEach((e, c) => expect(p[c]).toBeCloseTo(e, 12));

describe('averageProbabilities', () => {
  const a = Float64Array.from([0.7, 0.2, 0.1]);
  const b = Float64Array.from([0.1, 0.5, 0.4]);

  it('takes the mean of the members’ probabilities', () => {
    // (0.7 + 0.1) / 2, (0.2 + 0.5) / 2, (0.1 + 0.4) / 2
    close(averageProbabilities([a, b], 'mean'), [0.4, 0.35, 0.25]);
    expect(argmax(averageProbabilities([a, b], 'mean'))).toBe(0);
  });

  it('takes the geometric mean, renormalised, for logmean', () => {
    // √0.07, √0.10, √0.04 over their sum: the class both members give some weight to wins.
    const g = [Math.sqrt(0.07), Math.sqrt(0.1), Math.sqrt(0.04)];
    const sum = g[0] + g[1] + g[2];
    const p = averageProbabilities([a, b], 'logmean');
    close(
      p,
      g.map((x) => x / sum),
    );
    expect(argmax(p)).toBe(1);
  });

  it('gives a single member back unchanged, and a zero does not turn into NaN', () => {
    close(averageProbabilities([a], 'mean'), [0.7, 0.2, 0.1]);
    close(averageProbabilities([a], 'logmean'), [0.7, 0.2, 0.1]);
    const p = averageProbabilities([Float64Array.from([1, 0, 0]), Float64Array.from([0.5, 0.5, 0])], 'logmean');
    close(p, [1, 0, 0]);
  });

  it('refuses members with different numbers of classes, or none', () => {
    expect(() => averageProbabilities([a, Float64Array.from([0.5, 0.5])])).toThrow(/classes/);
    expect(() => averageProbabilities([])).toThrow(/member/);
  });
});

describe('bootstrapWeights', () => {
  it('draws as many rows as there are, with replacement, the same way for the same seed', () => {
    const weights = Array.from({ length: 50 }, (_, i) => (i % 2 ? 2 : 1));
    const sample = bootstrapWeights(weights, 7);
    expect(sample).toEqual(bootstrapWeights(weights, 7));
    expect(sample).not.toEqual(bootstrapWeights(weights, 8));
    // Each weight is its row's weight times the times it was drawn; the draws add up to the rows.
    const draws = sample.map((w, i) => w / weights[i]);
    for (const d of draws) expect(Number.isInteger(d)).toBe(true);
    expect(draws.reduce((a, b) => a + b, 0)).toBe(weights.length);
    expect(draws.some((d) => d === 0)).toBe(true);
  });
});

describe('parseMember', () => {
  it('reads the view, the learner, the blend and the seed', () => {
    const m = parseMember('char4/nbs01+cnb:0.01:0.5@7', 'wordschar4', { minDf: 2, lambda: 3e-6 });
    expect(m.name).toBe('char4/nbs01+cnb:0.01:0.5@7');
    expect(m.features.charMax).toBe(4);
    expect(m.features.words).toBe(false);
    expect(m.train).toMatchObject({
      minDf: 2,
      lambda: 3e-6,
      nbScale: { alpha: 0.1 },
      bayes: { complement: true, alpha: 0.01, weight: 0.5 },
      seed: 7,
    });
    expect(parseMember('lr', 'wordschar4', {}).name).toBe('wordschar4/lr');
    expect(parseMember('char4/lr~3', 'wordschar4', {})).toMatchObject({ name: 'char4/lr~3', bootstrap: 3 });
    expect(parseMember('lr', 'wordschar4', {}).bootstrap).toBeUndefined();
    expect(() => parseMember('nope/lr', 'wordschar4', {})).toThrow(/unknown variant/);
  });

  it('reads a network member: hidden units, then epochs, step and dropout', () => {
    expect(parseMember('mlp64', 'wordschar4', {}).network).toEqual({ hidden: 64 });
    expect(parseMember('char4/mlp32e5r0.01d0.2@2', 'wordschar4', {})).toMatchObject({
      network: { hidden: 32, epochs: 5, eta0: 0.01, dropout: 0.2 },
      train: { seed: 2 },
    });
    expect(parseMember('nbs01', 'wordschar4', {}).network).toBeUndefined();
    expect(() => parseMember('mlp64+cnb:0.01:0.5', 'wordschar4', {})).toThrow(/no naive Bayes/);
  });
});

describe('evaluateEnsembles', () => {
  const corpus = buildCorpusRows();
  const rows: SourceRow[] = corpus.map((r, i) => ({ src: 'train_raw', id: String(i), text: r.text, tipdm: r.label }));
  const segmented = corpus.map((r) => ({ tokens: [...r.text], label: r.label }));
  const features = { charMin: 1, charMax: 2, wordBigrams: false };
  const lines: string[] = [];
  // Two folds by alternation; the segmented rows copy the raw ones, so each fold drops half.
  const folds = { rows, segmented, k: 2, foldOfRow: rows.map((_, i) => i % 2), heldOut: [], weightOf: () => 1 };
  const results = evaluateEnsembles({
    ...folds,
    members: [
      { name: 'a', features, train: { features, minDf: 1 } },
      { name: 'b', features: { ...features, charMax: 1 }, train: { features: { ...features, charMax: 1 }, minDf: 1 } },
      { name: 'c', features, train: { features, minDf: 1, seed: 5 } },
    ],
    log: (line) => lines.push(line),
  });

  it('scores each member and every ensemble of two or more, both ways, on every row', () => {
    expect(results.map((r) => r.name).sort()).toEqual(
      [
        'a',
        'b',
        'c',
        ...['mean', 'logmean'].flatMap((m) => [`${m}(a + b)`, `${m}(a + c)`, `${m}(b + c)`, `${m}(a + b + c)`]),
      ].sort(),
    );
    for (const r of results) expect(r.total).toBe(rows.length);
  });

  it('hashes each feature view once and trains each member once per fold', () => {
    expect(lines.filter((l) => l.startsWith('features hashed'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('fold'))).toHaveLength(2 * 3);
  });
});

describe('evaluateEnsembles with a network member', () => {
  const corpus = buildCorpusRows();
  const rows: SourceRow[] = corpus.map((r, i) => ({ src: 'train_raw', id: String(i), text: r.text, tipdm: r.label }));
  const features = { charMin: 1, charMax: 2, wordBigrams: false };
  const folds = { rows, segmented: [], k: 2, foldOfRow: rows.map((_, i) => i % 2), heldOut: [], weightOf: () => 1 };
  const results = evaluateEnsembles({
    ...folds,
    members: [
      { name: 'linear', features, train: { features, minDf: 1 } },
      { name: 'net', features, train: { features, minDf: 1 }, network: { hidden: 16, epochs: 20, eta0: 0.01 } },
    ],
  });

  it('scores the network on every row, alone and averaged with the linear model', () => {
    const labels = new Set(corpus.map((r) => r.label)).size;
    const net = results.find((r) => r.name === 'net')!;
    expect(net.total).toBe(rows.length);
    expect(net.accuracy).toBeGreaterThan(2 / labels);
    expect(results.map((r) => r.name)).toContain('mean(linear + net)');
  });
});

describe('evaluateEnsembles with a nearest-neighbour member', () => {
  const corpus = buildCorpusRows();
  const rows: SourceRow[] = corpus.map((r, i) => ({ src: 'train_raw', id: String(i), text: r.text, tipdm: r.label }));
  const folds = { rows, segmented: [], k: 2, foldOfRow: rows.map((_, i) => i % 2), heldOut: [], weightOf: () => 1 };
  const results = evaluateEnsembles({
    ...folds,
    members: [parseMember('char2/lr', 'product', { minDf: 1 }), parseMember('char2/knn5', 'product', { minDf: 1 })],
  });

  it('scores the neighbours on every row, alone and averaged with the linear model', () => {
    const labels = new Set(corpus.map((r) => r.label)).size;
    const knn = results.find((r) => r.name === 'char2/knn5')!;
    expect(knn.total).toBe(rows.length);
    expect(knn.accuracy).toBeGreaterThan(2 / labels);
    expect(results.map((r) => r.name)).toContain('mean(char2/lr + char2/knn5)');
  });
});
