import { beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../../nlp/classifier/corpus.js';
import { seededRandom } from '../../nlp/classifier/random.js';
import {
  DEFAULT_CORPUS_DIR,
  loadDefaultTaxonomy,
  trainClassifier,
  type Classification,
  type TrainedClassifier,
} from '../../nlp/index.js';

let classifier: TrainedClassifier;

// Trained on the written corpus only (no data directory): fast, and the same in a clone
// without ../shared. The real figures come from the eval CLI, not from tests.
// Four fits (the 小类 model and the gate, each twice for calibration): seconds on an idle
// machine, minutes on a loaded CI runner.
beforeAll(() => {
  classifier = trainClassifier({ dataDir: '/nonexistent', transferAt: 0.5 });
}, 300_000);

// Written for this test, not taken from the corpus: how callers might put it.
const PARAPHRASES: [string, string][] = [
  ['我们楼下那个路灯晚上不亮了，黑乎乎的', '100118'],
  ['工地半夜还在打桩，吵得睡不着觉', '200301'],
  ['小区门口有人推着三轮车卖水果，也没个摊位', '200501'],
  ['电线杆上贴满了办证的小广告', '200201'],
  ['公司三个月没发工资了，老板跑路了', '990001'],
  ['路边停满了车，把消防通道都堵死了', '200505'],
  ['共享单车横七竖八地堆在地铁口，人都过不去', '200506'],
  ['饭店的排烟管道直接对着居民楼，油烟味很重', '200116'],
  ['河里漂着很多塑料瓶和垃圾，臭烘烘的', '200105'],
  ['人行道上的地砖碎了好几块，老人容易绊倒', '200110'],
  ['下大雨后这个路口积水到膝盖，车都熄火了', '200406'],
  ['红绿灯坏了，一直闪黄灯，路口很乱', '100214'],
  ['公园里的健身器材断了一根，小孩玩很危险', '100126'],
  ['公共厕所没人打扫，臭得进不去', '100301'],
  ['楼顶有人私自加盖了一层彩钢房', '200101'],
  ['路上有一只死狗，好几天了没人处理', '200117'],
  ['昨晚大风把路边的大树刮倒了，压在马路上', '202102'],
  ['孩子上学的学区划分不合理，想咨询一下', '990002'],
  ['有人在小区里偷电动车，请警察管管', '990005'],
  ['燃气管道漏气了，闻到很大的煤气味', '200403'],
  ['商店门口放着大音箱循环播放促销广告，吵死了', '200508'],
  ['空调外机装得太低，滴水滴到行人头上', '200513'],
  ['消火栓被车撞了，在往外喷水', '100113'],
  ['垃圾中转站臭气熏天，苍蝇到处飞', '100304'],
];

function expectShape(result: Classification): void {
  expect(result.confidence).toBeGreaterThanOrEqual(0);
  expect(result.confidence).toBeLessThanOrEqual(1);
  expect(result.alternatives.length).toBeLessThanOrEqual(3);
  expect(result.needsReview).toBe(result.reviewReasons.length > 0);
  expect(Array.isArray(result.entities.locations)).toBe(true);
  if (result.minor === null) {
    expect(result.kind).toBeNull();
    expect(result.alternatives).toEqual([]);
    expect(result.needsReview).toBe(true);
  }
}

describe('classify', () => {
  it('puts its own corpus utterances in their class', () => {
    const corpus = readCorpus(DEFAULT_CORPUS_DIR, loadDefaultTaxonomy());
    const sample = corpus.examples.filter((_, i) => i % 7 === 0);
    const right = sample.filter((row) => classifier.classify(row.text ?? '').minor?.code === row.label);
    expect(right.length / sample.length).toBeGreaterThanOrEqual(0.9);
  });

  it('puts fresh paraphrases in their class', () => {
    const misses = PARAPHRASES.filter(([text, code]) => classifier.classify(text).minor?.code !== code);
    expect(misses.length / PARAPHRASES.length, JSON.stringify(misses)).toBeLessThanOrEqual(0.2);
  });

  it('answers unambiguous reports exactly, with 大类 and kind', () => {
    const light = classifier.classify('红绿灯坏了，一直闪黄灯，路口很乱');
    expect(light).toMatchObject({ kind: '部件', major: { code: '1002', name: '道路交通' }, minor: { code: '100214' } });
    const noise = classifier.classify('工地半夜还在打桩，吵得睡不着觉');
    expect(noise).toMatchObject({ kind: '事件', major: { code: '2003' }, minor: { code: '200301', name: '施工扰民' } });
    expect(noise.transfer).toBeUndefined();
    const gas = classifier.classify('燃气管道漏气了，闻到很大的煤气味');
    expect(gas.minor?.code).toBe('200403');
  });

  it('transfers 非城管 reports to their agency', () => {
    const wages = classifier.classify('公司三个月没发工资了，老板跑路了');
    expect(wages).toMatchObject({ kind: '非城管', major: { code: '9900' }, minor: { name: '劳动社保' } });
    expect(wages.transfer).toEqual({ agency: '人社' });
  });

  it('ranks three alternatives, the first being the answer, with calibrated confidences', () => {
    const result = classifier.classify('小区门口的垃圾桶满了好几天没人清');
    expect(result.alternatives).toHaveLength(3);
    expect(result.alternatives[0]).toMatchObject({ code: result.minor?.code, confidence: result.confidence });
    const confidences = result.alternatives.map((a) => a.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    expect(confidences.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    for (const a of result.alternatives) expect(a.kind).toMatch(/^(部件|事件|非城管)$/);
  });

  it('flags low confidence against the threshold, and is deterministic', () => {
    const text = '这个东西坏了，你们来看看吧';
    const first = classifier.classify(text);
    expect(classifier.classify(text)).toEqual(first);
    expect(first.needsReview).toBe(first.confidence < 0.5);
    if (first.needsReview) expect(first.reviewReasons).toContain('low_confidence');
  });
});

describe('classify on input it cannot judge', () => {
  const unjudgeable: [string, string, string][] = [
    ['empty', '', 'empty'],
    ['whitespace and controls', ' \n\t\u0000\u200b ', 'empty'],
    ['emoji only', '😀😀🎉👍🏻‍', 'no_text'],
    ['punctuation only', '？？？！！。。。', 'no_text'],
    ['Latin garbage', 'asdfghjkl qwertyuiop zxcv', 'no_chinese'],
    ['digits only', '1234567', 'no_chinese'],
    ['one character', '喂', 'too_short'],
    ['one character repeated', '哈哈哈哈哈哈哈哈', 'repetitive'],
  ];
  for (const [what, text, reason] of unjudgeable) {
    it(`returns no category for ${what}`, () => {
      const result = classifier.classify(text);
      expectShape(result);
      expect(result).toMatchObject({ kind: null, major: null, minor: null, confidence: 0, needsReview: true });
      expect(result.reviewReasons).toEqual([reason]);
    });
  }

  it('flags mixed-language input for review', () => {
    const result = classifier.classify('Hello, is this the hotline? こんにちは bonjour 你好 thanks');
    expectShape(result);
    expect(result.needsReview).toBe(true);
    expect(result.reviewReasons).toContain('foreign_language');
  });

  it('classifies a 10,000-character message on its start and flags it', () => {
    const text = '我们小区门口的路灯已经坏了一个星期了，晚上很黑。'.repeat(420).slice(0, 10_000);
    expect(text).toHaveLength(10_000);
    const result = classifier.classify(text);
    expectShape(result);
    expect(result.needsReview).toBe(true);
    expect(result.reviewReasons).toContain('too_long');
    expect(result.minor?.code).toBe('100118');
  });

  it('never throws, whatever the string', () => {
    const random = seededRandom(7);
    const ranges = [
      [0x0, 0x7f],
      [0x80, 0x2fff],
      [0x4e00, 0x9fff],
      [0xd800, 0xdfff],
      [0xe000, 0xffff],
      [0x1f300, 0x1faff],
      [0x10000, 0x10ffff],
    ];
    const strings = [
      '\uD800路灯不亮\uDC00',
      '\uDFFF\uD83D',
      '路灯\u0000\u0007\u202E不亮\u0001',
      '\u2028\u2029井盖\uFEFF丢了',
      'ｓｔｒｅｅｔ　ｌａｍｐ　路灯坏了１２３',
      'x'.repeat(10_000),
      '\uD83D'.repeat(5000),
      '路'.repeat(10_000),
      undefined as unknown as string,
      null as unknown as string,
      42 as unknown as string,
    ];
    for (let n = 0; n < 150; n++) {
      let s = '';
      const length = Math.floor(random() * 200);
      for (let i = 0; i < length; i++) {
        const [lo, hi] = ranges[Math.floor(random() * ranges.length)];
        const cp = lo + Math.floor(random() * (hi - lo + 1));
        s += cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      }
      strings.push(s);
    }
    for (const s of strings) {
      const result = classifier.classify(s);
      expectShape(result);
      expect(result.reviewReasons).not.toContain('error');
    }
  });
});
