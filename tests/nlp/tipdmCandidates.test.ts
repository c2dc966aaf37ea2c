import { describe, expect, it } from 'vitest';
import { evaluateCandidates, formatCandidates } from '../../nlp/cli/tipdmCandidates.js';
import { alignedReader } from '../../nlp/cli/tipdm.js';
import type { SourceRow } from '../../nlp/real/data.js';
import { buildCorpusRows } from './helpers/fixtures.js';

const corpus = buildCorpusRows();
// Raw rows: the fixture texts, two folds by alternation; segmented rows: the same texts again
// (copies of the raw rows) and three that copy none.
const rows: SourceRow[] = corpus.map((r, i) => ({ src: 'train_raw', id: String(i), text: r.text, tipdm: r.label }));
const fresh = [
  { tokens: ['人行道', '路灯', '全部', '熄灭', '一整晚'], label: '路灯' },
  { tokens: ['建筑', '工地', '凌晨', '两点', '还在', '浇筑'], label: '施工扰民' },
  { tokens: ['单位', '拖欠', '员工', '半年', '薪水'], label: '劳动社保' },
];
const segmented = [...corpus.map((r) => ({ tokens: [...r.text], label: r.label })), ...fresh];

describe('evaluateCandidates', () => {
  const lines: string[] = [];
  const results = evaluateCandidates({
    rows,
    foldOfRow: rows.map((_, i) => i % 2),
    k: 2,
    heldOut: [],
    segmented,
    features: { charMin: 1, charMax: 2, wordBigrams: false },
    weightOf: () => 1,
    learners: [
      { name: 'lr', train: { minDf: 1 } },
      { name: 'avg', train: { minDf: 1, averageEpochs: 4 } },
    ],
    grid: { alphas: [0.1], weights: [0.5] },
    log: (line) => lines.push(line),
  });

  it('trains each fold without the segmented copies of that fold’s test rows', () => {
    const half = rows.length / 2;
    // The other fold's raw rows, their segmented copies, and the rows that copy nothing.
    expect(lines.filter((l) => l.startsWith('fold'))).toEqual([
      expect.stringMatching(new RegExp(`^fold 1/2: ${half * 2 + fresh.length} training rows`)),
      expect.stringMatching(new RegExp(`^fold 2/2: ${half * 2 + fresh.length} training rows`)),
    ]);
  });

  it('scores every learner, naive Bayes alone once, and every blend on all rows', () => {
    expect(results.map((r) => r.name).sort()).toEqual(
      [
        'lr',
        'avg',
        'mnb α 0.1 alone',
        'cnb α 0.1 alone',
        'lr + 0.5 × mnb α 0.1',
        'lr + 0.5 × cnb α 0.1',
        'avg + 0.5 × mnb α 0.1',
        'avg + 0.5 × cnb α 0.1',
      ].sort(),
    );
    for (const r of results) {
      expect(r.total).toBe(rows.length);
      expect(r.right).toBeLessThanOrEqual(r.total);
    }
    // Three well-separated topics: the regression gets most rows right out of fold.
    expect(results.find((r) => r.name === 'lr')!.accuracy).toBeGreaterThan(0.6);
  });

  it('prints a table, best first, with the baseline marked', () => {
    const table = formatCandidates(results, 'lr').split('\n');
    expect(table[0]).toBe('| candidate | accuracy | macro-F1 | right |');
    expect(table.some((l) => l.startsWith('| **lr** (baseline) |'))).toBe(true);
    const accuracies = table.slice(2).map((l) => Number(l.split('|')[2]));
    expect(accuracies).toEqual([...accuracies].sort((a, b) => b - a));
  });
});

describe('alignedReader (--align-raw)', () => {
  it('drops the words the segmented rows never hold but three raw rows do, and keeps the rest', () => {
    const raw: SourceRow[] = ['我的路灯坏了', '我们这里的井盖丢了', '我家门口的垃圾没人收', '公交车的路线改了'].map(
      (text, i) => ({ src: 'train_raw', id: String(i), text }),
    );
    const read = alignedReader(raw, [{ tokens: ['路灯', '坏', '井盖', '垃圾', '公交车'] }]);
    // 的 is in all four raw rows and no segmented one: a stop word; 路灯 is in the segmented rows.
    const aligned = read('东风路的路灯坏了');
    expect(aligned).not.toContain('的');
    expect(aligned).toContain('路灯');
    expect(aligned).toContain('东风');
  });
});
