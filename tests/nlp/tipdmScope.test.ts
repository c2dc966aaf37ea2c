import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvFields, readTipdmScope, scopeExamples, TIPDM_SCOPE_FILE } from '../../nlp/real/tipdmScope.js';
import { foldTraining } from '../../nlp/cli/tipdmCandidates.js';
import type { SourceRow } from '../../nlp/real/data.js';

describe('the TipDM label table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tipdm-scope-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads quoted fields, commas inside quotes and doubled quotes', () => {
    expect(csvFields('"城乡建设","城乡规划","违章建筑"')).toEqual(['城乡建设', '城乡规划', '违章建筑']);
    expect(csvFields('"a,b",c,"say ""hi"""')).toEqual(['a,b', 'c', 'say "hi"']);
    expect(csvFields('x,,z')).toEqual(['x', '', 'z']);
  });

  it('reads the table without its header, and nothing when the file is absent', () => {
    expect(readTipdmScope(dir)).toEqual([]);
    writeFileSync(
      join(dir, TIPDM_SCOPE_FILE),
      '"一级分类","二级分类","三级分类"\r\n"城乡建设","城市建设和市政管理","环境卫生"\r\n\r\n"政法","治安","其他"\r\n',
    );
    expect(readTipdmScope(dir)).toEqual([
      { first: '城乡建设', second: '城市建设和市政管理', third: '环境卫生' },
      { first: '政法', second: '治安', third: '其他' },
    ]);
  });

  it('makes one row per distinct entry of the task’s labels, without a third level of 其他', () => {
    const rows = scopeExamples(
      [
        { first: '城乡建设', second: '城市建设和市政管理', third: '环境卫生' },
        { first: '城乡建设', second: '城市建设和市政管理', third: '环境卫生' },
        { first: '城乡建设', second: '城乡规划', third: '其他' },
        { first: '教育文体', second: '教育', third: '' },
        { first: '政法', second: '治安', third: '其他' },
      ],
      new Set(['城乡建设', '教育文体']),
    );
    expect(rows).toEqual([
      { text: '城市建设和市政管理 环境卫生', label: '城乡建设' },
      { text: '城乡规划', label: '城乡建设' },
      { text: '教育', label: '教育文体' },
    ]);
  });

  it('puts the table’s rows, at their weight, in every fold’s training set and none among its test rows', () => {
    const rows: SourceRow[] = ['路灯不亮', '工资拖欠', '垃圾成堆', '学校收费'].map((text, i) => ({
      src: 'train_raw',
      id: String(i),
      text,
      tipdm: i % 2 ? '劳动和社会保障' : '城乡建设',
    }));
    const scope = [
      { text: '城市建设和市政管理 环境卫生', label: '城乡建设' },
      { text: '劳动保障 工资福利', label: '劳动和社会保障' },
    ];
    const input = {
      rows,
      foldOfRow: [0, 1, 0, 1],
      segmented: [],
      weightOf: () => 1,
      scope,
      scopeWeight: 5,
    };
    for (const fold of [0, 1]) {
      const set = foldTraining(input, [], fold);
      expect(set.testRows).toEqual(fold === 0 ? [0, 2] : [1, 3]);
      expect(set.labels).toEqual([...set.trainRaw.map((i) => rows[i].tipdm), '城乡建设', '劳动和社会保障']);
      expect(set.weights).toEqual([1, 1, 5, 5]);
    }
    // Without them the training set is the raw rows alone.
    expect(foldTraining({ ...input, scope: undefined }, [], 0).labels).toHaveLength(2);
  });
});
