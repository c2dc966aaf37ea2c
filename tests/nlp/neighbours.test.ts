import { describe, expect, it } from 'vitest';
import { featureCounts } from '../../nlp/classifier/features.js';
import { trainNeighbours } from '../../nlp/classifier/neighbours.js';
import { parseMember } from '../../nlp/cli/tipdmEnsemble.js';

const counts = (text: string) => featureCounts({ text });

describe('trainNeighbours', () => {
  const texts = [
    ['路灯不亮了晚上很黑', '城乡建设'],
    ['小区门口路灯坏了不亮', '城乡建设'],
    ['工厂排放黑烟污染空气', '环境保护'],
    ['河里有人排放污水很臭', '环境保护'],
    ['学校乱收补课费', '教育文体'],
  ] as const;
  const rows = texts.map(([t]) => counts(t));
  const labels = texts.map(([, l]) => l);

  it('gives a text the class of the rows it is most like, as probabilities that sum to one', () => {
    const model = trainNeighbours(rows, labels, [1, 1, 1, 1, 1], { k: 2 });
    expect(model.labels).toEqual(['城乡建设', '教育文体', '环境保护']);
    const p = model.probabilities(counts('这条路的路灯不亮'));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(model.labels[p.indexOf(Math.max(...p))]).toBe('城乡建设');
    const q = model.probabilities(counts('排放污水和黑烟'));
    expect(model.labels[q.indexOf(Math.max(...q))]).toBe('环境保护');
  });

  it('lets only the k nearest rows vote, each by its similarity and its weight', () => {
    // k = 1 and no smoothing: the one nearest row decides alone.
    const one = trainNeighbours(rows, labels, [1, 1, 1, 1, 1], { k: 1, smoothing: 0 });
    const p = one.probabilities(counts('学校补课费'));
    expect(p[one.labels.indexOf('教育文体')]).toBe(1);
    // A heavier row outvotes a nearer one.
    const near = [counts('路灯不亮'), counts('路灯不亮很黑')];
    const heavy = trainNeighbours(near, ['甲', '乙'], [1, 50], { k: 2, sharpen: 1, smoothing: 0 });
    const h = heavy.probabilities(counts('路灯不亮'));
    expect(h[heavy.labels.indexOf('乙')]).toBeGreaterThan(h[heavy.labels.indexOf('甲')]);
    const light = trainNeighbours(near, ['甲', '乙'], [1, 1], { k: 2, sharpen: 1, smoothing: 0 });
    const l = light.probabilities(counts('路灯不亮'));
    expect(l[light.labels.indexOf('甲')]).toBeGreaterThan(l[light.labels.indexOf('乙')]);
  });

  it('answers evenly for a text that shares nothing with the training rows', () => {
    const model = trainNeighbours(rows, labels, [1, 1, 1, 1, 1]);
    const p = model.probabilities(counts('ＸＹＺ'));
    for (const x of p) expect(x).toBeCloseTo(1 / 3, 12);
  });
});

describe('parseMember with neighbours', () => {
  it('reads knnK and knnKsS, and refuses a naive Bayes blend on them', () => {
    expect(parseMember('knn20', 'product', {}).neighbours).toEqual({ k: 20 });
    expect(parseMember('wordschar4/knn10s2', 'product', {}).neighbours).toEqual({ k: 10, sharpen: 2 });
    expect(() => parseMember('knn20+cnb:0.01:0.5', 'product', {})).toThrow(/naive Bayes/);
  });
});
