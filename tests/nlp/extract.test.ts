import { describe, expect, it } from 'vitest';
import { entitiesOfNormalized } from '../../nlp/extract/entities.js';
import { extractEntities } from '../../nlp/index.js';

describe('extractEntities: locations', () => {
  const cases: [string, string[]][] = [
    ['在幸福路和建设大道交叉口，有人烧烤', ['幸福路', '建设大道交叉口']],
    ['阳光花园小区3号楼2单元门口堆满了杂物', ['阳光花园小区3号楼2单元门口']],
    ['人民路128号华联超市门口井盖丢了', ['人民路128号华联超市门口']],
    ['地铁站B口旁边的公交站有小广告', ['地铁站B口旁边', '公交站']],
    ['东风巷18号的路灯坏了', ['东风巷18号']],
    ['实验小学对面有流动摊贩', ['实验小学对面']],
    ['家住锦绣华庭5栋1单元，楼下很吵', ['锦绣华庭5栋1单元']],
    ['万达广场北门天天有人发传单', ['万达广场北门']],
    ['翠苑小区东门的垃圾桶满了', ['翠苑小区东门']],
  ];
  for (const [text, expected] of cases) {
    it(text, () => expect(extractEntities(text).locations).toEqual(expected));
  }

  it('does not take generic words or dates for places', () => {
    expect(extractEntities('我家楼下的马路上有一点脏，走路都硌脚').locations).toEqual([]);
    expect(extractEntities('3月18号开始就一直这样，逛街的人很多').locations).toEqual([]);
  });
});

describe('entitiesOfNormalized (classify’s path)', () => {
  it('tags all clauses in one call and finds what tagging each clause finds', () => {
    const clauses = [
      '在幸福路和建设大道交叉口有人烧烤',
      '阳光花园小区3号楼2单元门口堆满了杂物',
      '我住5栋1单元',
      '东风巷18号的路灯坏了',
    ];
    const expected = [...new Set(clauses.flatMap((c) => extractEntities(c).locations))];
    expect(expected).toContain('阳光花园小区3号楼2单元门口');
    expect(expected).toContain('5栋1单元');
    expect(entitiesOfNormalized(clauses.join('，')).locations).toEqual(expected);
  });
});

describe('extractEntities: times', () => {
  const cases: [string, string[]][] = [
    ['今天早上七点就开始施工了', ['今天早上七点']],
    ['今天早上七点开始施工', ['今天早上七点开始']],
    ['昨晚路灯一直没亮', ['昨晚']],
    ['每天晚上十点以后还在放音乐', ['每天晚上十点以后']],
    ['已经连续三天没人清垃圾', ['连续三天']],
    ['昨天下午3点到5点停水', ['昨天下午3点到5点']],
    ['近一个多月以来每晚都很吵', ['近一个多月以来每晚']],
    ['周末凌晨两点半还有人在唱歌', ['周末凌晨两点半']],
    ['2024年3月5日反映过一次', ['2024年3月5日']],
  ];
  for (const [text, expected] of cases) {
    it(text, () => expect(extractEntities(text).times).toEqual(expected));
  }

  it('does not take "a little" for one o\'clock', () => {
    expect(extractEntities('路面有一点脏').times).toEqual([]);
  });
});

describe('extractEntities: phones', () => {
  it('finds mobiles in any common spelling', () => {
    expect(extractEntities('我的电话13812345678，或者138-1234-5679，+86 139 1234 5670').phones).toEqual([
      '13812345678',
      '13812345679',
      '13912345670',
    ]);
  });

  it('finds landlines with area code and extension, and full-width digits', () => {
    expect(extractEntities('座机(010)87654321转123，也可打0731-8888 6666').phones).toEqual([
      '010-87654321-123',
      '0731-88886666',
    ]);
    expect(extractEntities('联系电话：１３８１２３４５６７８').phones).toEqual(['13812345678']);
  });

  it('ignores numbers that are not phones', () => {
    expect(extractEntities('投诉编号20240305123，金额1500元，身份证号码后四位1234').phones).toEqual([]);
  });
});

describe('extractEntities on odd input', () => {
  it('returns empty lists and never throws', () => {
    for (const text of ['', '😀😀', '\uD800\uDFFF\uD83D', 'x'.repeat(10_000), '路'.repeat(10_000)]) {
      const entities = extractEntities(text);
      expect(Object.keys(entities).sort()).toEqual(['locations', 'phones', 'times']);
    }
  });
});
