import { describe, expect, it } from 'vitest';
import { loadDefaultTaxonomy, loadTaxonomy, TaxonomyError } from '../../nlp/index.js';

type Row = Record<string, unknown>;

function buildTable(rows: Row[] = []): { city: string; name: string; categories: Row[] } {
  return {
    city: 'test',
    name: '测试表',
    categories: [
      { code: '1001', kind: '部件', level: '大类', name: '公共设施' },
      { code: '100101', kind: '部件', level: '小类', name: '上水井盖', parent: '1001' },
      { code: '9900', kind: '非城管', level: '大类', name: '非城管' },
      { code: '990001', kind: '非城管', level: '小类', name: '劳动社保', parent: '9900', agency: '人社' },
      ...rows,
    ],
  };
}

function errorOf(doc: unknown): TaxonomyError {
  try {
    loadTaxonomy(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(TaxonomyError);
    return error as TaxonomyError;
  }
  throw new Error('expected the table to be rejected');
}

describe('loadTaxonomy', () => {
  it('loads the national default with its lookups', () => {
    const t = loadDefaultTaxonomy();
    expect(t.minors()).toHaveLength(118);
    expect(t.byCode('100101')?.name).toBe('上水井盖');
    expect(t.majorOf('200505')?.name).toBe('街面秩序');
    expect(t.byName('路灯')?.code).toBe('100118');
    expect(t.byName('市容环境', '事件')?.code).toBe('2001');
    expect(t.byName('市容环境', '部件')?.code).toBe('1003');
    expect(t.childrenOf('9900').map((c) => c.agency)).toContain('人社');
    expect(t.childrenOf('100101')).toEqual([]);
    expect(t.byCode('nope')).toBeUndefined();
  });

  it('accepts a 大类 listed after its 小类', () => {
    const doc = buildTable();
    doc.categories.reverse();
    expect(loadTaxonomy(doc).majorOf('100101')?.code).toBe('1001');
  });

  const cases: [string, Row, number, string, RegExp][] = [
    [
      'a duplicate code',
      { code: '100101', kind: '部件', level: '小类', name: '污水井盖', parent: '1001' },
      4,
      '100101',
      /duplicate code, first used in row 1/,
    ],
    [
      'a missing parent',
      { code: '100102', kind: '部件', level: '小类', name: '污水井盖', parent: '1009' },
      4,
      '100102',
      /parent 1009 not found/,
    ],
    [
      'an unknown kind',
      { code: '100102', kind: '设施', level: '小类', name: '污水井盖', parent: '1001' },
      4,
      '100102',
      /kind/,
    ],
    [
      'a 小类 without parent',
      { code: '100102', kind: '部件', level: '小类', name: '污水井盖' },
      4,
      '100102',
      /小类 without parent/,
    ],
    [
      'a parent that is a 小类',
      { code: '10010101', kind: '部件', level: '小类', name: '井盖边框', parent: '100101' },
      4,
      '10010101',
      /is not a 大类/,
    ],
    [
      'a kind unlike its parent',
      { code: '200101', kind: '事件', level: '小类', name: '私搭乱建', parent: '1001' },
      4,
      '200101',
      /differs from its parent/,
    ],
    [
      'a 非城管 小类 without agency',
      { code: '990002', kind: '非城管', level: '小类', name: '教育', parent: '9900' },
      4,
      '990002',
      /agency/,
    ],
    [
      'a misspelt field',
      { code: '100102', kind: '部件', level: '小类', name: '污水井盖', parent: '1001', synonym: ['污水井'] },
      4,
      '100102',
      /synonym/,
    ],
    ['an empty name', { code: '100102', kind: '部件', level: '小类', name: ' ', parent: '1001' }, 4, '100102', /name/],
    ['a bad code', { code: '10A', kind: '部件', level: '小类', name: '污水井盖', parent: '1001' }, 4, '10A', /code/],
    [
      'a repeated 小类 name',
      { code: '100102', kind: '部件', level: '小类', name: '上水井盖', parent: '1001' },
      4,
      '100102',
      /already used/,
    ],
    [
      'a 大类 with a parent',
      { code: '1002', kind: '部件', level: '大类', name: '道路交通', parent: '1001' },
      4,
      '1002',
      /must not have a parent/,
    ],
    ['a 大类 without 小类', { code: '1002', kind: '部件', level: '大类', name: '道路交通' }, 4, '1002', /no 小类/],
  ];

  for (const [what, row, index, code, problem] of cases) {
    it(`rejects ${what}, naming the row`, () => {
      const error = errorOf(buildTable([row]));
      expect(error.message).toContain(`row ${index} (code ${code})`);
      expect(error.message).toMatch(problem);
      expect(error.row).toBe(index);
    });
  }

  it('names a row that is not an object at all', () => {
    const error = errorOf(buildTable([null as unknown as Row]));
    expect(error.message).toContain('row 4 (code ?)');
  });

  it('rejects a table without categories or city', () => {
    expect(errorOf({ city: 'x', name: 'x', categories: [] }).message).toMatch(/no categories/);
    expect(errorOf({ name: 'x', categories: [] }).message).toMatch(/city/);
    expect(errorOf('not a table').message).toMatch(/taxonomy/);
  });
});
