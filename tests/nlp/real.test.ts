import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../nlp/classifier/classify.js';
import { prepareText } from '../../nlp/classifier/features.js';
import { stagedScores } from '../../nlp/classifier/staged.js';
import { trainClassifier } from '../../nlp/index.js';
import { SEGMENTED_IN } from '../../nlp/classifier/build.js';
import { foldOf } from '../../nlp/cli/real.js';
import { cohensKappa } from '../../nlp/eval/agreement.js';
import { computeSplit, isHeldOut } from '../../nlp/real/split.js';
import { jaccard, nearDuplicateGroups, shingles } from '../../nlp/real/dedup.js';
import { readRealLabels } from '../../nlp/real/labels.js';
import { readRealSet } from '../../nlp/real/examples.js';
import { writeFileSync } from 'node:fs';
import { loadDefaultTaxonomy } from '../../nlp/taxonomy/load.js';
import { isVague, leadSentence, stripBoilerplate } from '../../nlp/text/boilerplate.js';
import { normalizeText } from '../../nlp/text/normalize.js';
import { styleOf } from '../../nlp/text/style.js';
import { buildCorpusRows, tempDir, writeJsonl } from './helpers/fixtures.js';

const strip = (text: string) => stripBoilerplate(normalizeText(text));

describe('letter boilerplate', () => {
  it('removes salutations, officials, thanks, closings and self-introductions', () => {
    const letter =
      '尊敬的王书记：您好！我是A市A3区幸福小区的业主，小区门口马路上每天晚上有人占道经营烧烤。望早日解决，谢谢！此致敬礼';
    expect(strip(letter)).toBe('小区门口马路上每天晚上有人占道经营烧烤。');
    expect(strip('李局长： 你好！人行道上的井盖丢了。感谢您百忙之中阅读我的来信！')).toBe('人行道上的井盖丢了。');
    expect(strip('各位领导大家好，路灯坏了三天了，恳请相关部门尽快处理')).toBe('路灯坏了三天了,');
  });

  it('keeps what is evidence: a named agency, the matter itself', () => {
    expect(strip('请税务局和工商局查一下这家影楼有没有纳税')).toBe('请税务局和工商局查一下这家影楼有没有纳税');
    expect(strip('城管局长应该管管这些摊贩')).toContain('城管');
    expect(strip('路灯坏了')).toBe('路灯坏了');
  });

  it('gives the text back when nothing but boilerplate is left', () => {
    expect(strip('尊敬的领导：您好！谢谢！')).toBe('尊敬的领导:您好!谢谢!');
  });

  it('takes the title or first sentence as the lead', () => {
    expect(leadSentence('A市幸福路井盖缺失。昨天晚上路过时发现')).toBe('A市幸福路井盖缺失');
    expect(leadSentence('路灯坏了')).toBe('路灯坏了');
  });
});

describe('vague text', () => {
  it('is a greeting and fillers with no matter in it', () => {
    for (const text of ['喂你好我想反映个事情就是那个', '我想投诉', '你好，请问一下', '喂，喂，那个，嗯']) {
      expect(isVague(normalizeText(text)), text).toBe(true);
    }
    for (const text of ['井盖', '路灯坏了', '喂你好我想反映个事情就是那个路灯不亮了']) {
      expect(isVague(normalizeText(text)), text).toBe(false);
    }
  });
});

describe('style by rule', () => {
  it('tells letters, reports, spoken notes and chat apart', () => {
    expect(styleOf('尊敬的领导:您好!我们小区门口的路灯坏了')).toBe('letter');
    expect(styleOf('喂,你好,那个……我要反映个事儿,就是路灯不亮')).toBe('spoken');
    expect(styleOf('路灯不亮了')).toBe('chat');
    expect(styleOf('幸福路与人民路交叉口的井盖缺失,已有车辆掉进去。请尽快处理。')).toBe('report');
  });
});

describe('the 城管 / 非城管 stage', () => {
  const corpusDir = tempDir('nlp-real-');
  writeJsonl(join(corpusDir, 'fixture.jsonl'), buildCorpusRows());
  const trained = trainClassifier({ corpusDir, dataDir: join(corpusDir, 'none') });
  const taxonomy = loadDefaultTaxonomy();

  it('suggests a transfer only when the stage is sure', () => {
    const wages = trained.classify('老板拖欠工资三个月不给');
    expect(wages.kind).toBe('非城管');
    expect(wages.pOther).toBeGreaterThan(0.5);

    const strict = createClassifier(trained.model, taxonomy, { transferAt: 1.01 });
    const held = strict.classify('老板拖欠工资三个月不给');
    expect(held.kind).toBe('非城管');
    expect(held.transfer).toBeUndefined();
    expect(held.needsReview).toBe(true);
    expect(held.reviewReasons).toContain('uncertain_transfer');

    const lenient = createClassifier(trained.model, taxonomy, { transferAt: 0.5 });
    expect(lenient.classify('老板拖欠工资三个月不给').transfer).toEqual({ agency: '人社' });
  });

  it('never transfers a 城管 report, and ranks 小类 within the side it chose', () => {
    const lenient = createClassifier(trained.model, taxonomy, { transferAt: 0.5 });
    const light = lenient.classify('路灯坏了晚上不亮');
    expect(light.kind).toBe('部件');
    expect(light.transfer).toBeUndefined();
    expect(light.pOther).toBeLessThan(0.5);
    expect(light.alternatives[0]).toMatchObject({ code: light.minor?.code, confidence: light.confidence });
  });

  it('takes P(非城管) as the mean of the gate and the 小类 model when the model says so', () => {
    const text = '公司三个月没发工资了，路边还有人摆摊';
    const doc = prepareText(normalizeText(text), trained.model.minor.features);
    const otherClasses = Int32Array.from(
      trained.model.minor.labels.flatMap((code, i) => (taxonomy.byCode(code)?.kind === '非城管' ? [i] : [])),
    );
    const gateOnly = stagedScores({ ...trained.model, sides: 'gate' }, doc, otherClasses, 1.01);
    const blended = stagedScores({ ...trained.model, sides: 'gate+minor' }, doc, otherClasses);
    const minorOther = [...otherClasses].reduce((sum, c) => sum + blended.minor[c], 0);
    expect(minorOther).toBeGreaterThan(0);
    expect(blended.pOther).toBeCloseTo((gateOnly.pOther + minorOther) / 2, 6);
    expect(trained.model.sides).toBe('gate+minor');
    expect(trained.classify(text).pOther).toBeCloseTo(blended.pOther, 6);
  });

  it('sends vague text to review and never transfers it', () => {
    const lenient = createClassifier(trained.model, taxonomy, { transferAt: 0 });
    const result = lenient.classify('喂你好我想反映个事情就是那个');
    expect(result.needsReview).toBe(true);
    expect(result.reviewReasons).toContain('vague');
    expect(result.transfer).toBeUndefined();
  });
});

describe('near-duplicate split', () => {
  const base = '幸福路阳光小区门口每天晚上有人摆摊卖烧烤，油烟很大，垃圾满地，希望城管来管一管';
  it('groups reposts and near-copies, not different messages', () => {
    const texts = [base, `转：${base}！！`, base.replace('烧烤', '烤串'), '公司三个月没发工资了，老板跑路了'];
    const groups = nearDuplicateGroups(texts);
    expect(groups[1]).toBe(groups[0]);
    expect(groups[2]).toBe(groups[0]);
    expect(groups[3]).not.toBe(groups[0]);
    expect(jaccard(shingles(base), shingles(base))).toBe(1);
  });

  it('puts a group on one side, and a message keeps its side as others arrive', () => {
    const rows = [
      { src: 'unlabeled' as const, id: '1', text: base },
      { src: 'unlabeled' as const, id: '2', text: `${base}。` },
      ...Array.from({ length: 40 }, (_, i) => ({
        src: 'unlabeled' as const,
        id: String(100 + i),
        text: `第${i}号路灯坏了${'甲乙丙丁'.repeat(i % 5)}`,
      })),
    ];
    const first = computeSplit(rows);
    expect(first.groups['unlabeled:2']).toBe('unlabeled:1');
    expect(first.test.includes('unlabeled:1')).toBe(first.test.includes('unlabeled:2'));
    expect(first.test.includes('unlabeled:1')).toBe(isHeldOut('unlabeled:1'));
    const more = computeSplit([...rows, { src: 'train_raw', id: '9', text: '学校门口的校车安排不合理' }]);
    expect(more.test.filter((k) => k !== 'train_raw:9')).toEqual(first.test);
  });
});

describe('real labels', () => {
  it('reads codes or names, skips lines being written and unknown 小类, last label wins', () => {
    const dir = tempDir('nlp-labels-');
    const path = join(dir, 'labels.jsonl');
    writeJsonl(path, [
      {
        id: '1',
        src: 'unlabeled',
        sample: 'random',
        kind: '部件',
        major: '1001',
        minor: '100118',
        multi: false,
        unsure: false,
      },
      { id: '2', src: 'unlabeled', kind: '事件', major: '街面秩序', minor: '无照经营游商' },
      { id: '3', src: 'unlabeled', kind: '事件', major: '2005', minor: '999999' },
      { id: '1', src: 'unlabeled', kind: '非城管', major: '9900', minor: '990001' },
    ]);
    const { labels, skipped } = readRealLabels(path, loadDefaultTaxonomy());
    expect(labels.map((l) => [l.key, l.kind, l.major, l.minor])).toEqual([
      ['unlabeled:1', '非城管', '9900', '990001'],
      ['unlabeled:2', '事件', '2005', '200501'],
    ]);
    expect(skipped).toHaveLength(1);
  });
});

describe('labelled segmented rows', () => {
  // A data directory of our own: two raw files and a segmented file, one of whose rows is a copy of a raw message.
  const dir = tempDir('nlp-segmented-');
  const letter = '幸福路阳光小区门口每天晚上有人摆摊卖烧烤油烟很大垃圾满地希望城管来管一管';
  writeJsonl(join(dir, 'teddy2020_unlabeled.jsonl'), [
    { id: '1', text: letter },
    { id: '2', text: '学院路的井盖丢了一个，晚上路过很危险' },
  ]);
  writeJsonl(join(dir, 'teddy2020_train_raw.jsonl'), [
    { id: '9', text: '公司三个月没发工资了', label: '劳动和社会保障' },
  ]);
  writeJsonl(join(dir, 'teddy2020_train_segmented.jsonl'), [
    { tokens: '幸福路 阳光 小区 门口 每天 晚上 摆摊 卖 烧烤 油烟 很大 垃圾 满地 希望 城管 管一管', label: '城乡建设' },
    { tokens: '东风 路口 路灯 不亮 一个月 晚上 行人 看不见', label: '城乡建设' },
  ]);
  writeFileSync(
    join(dir, 'split.json'),
    JSON.stringify({ method: 'test', salt: 's', heldOutShare: 0.5, jaccard: 0.5, groups: {}, test: ['unlabeled:1'] }),
  );
  const label = (src: string, id: string, minor: string) => ({
    id,
    src,
    kind: '事件',
    major: minor.slice(0, 4),
    minor,
  });
  writeJsonl(join(dir, 'labels.jsonl'), [
    label('unlabeled', '1', '200510'),
    label('unlabeled', '2', '200104'),
    label('segmented', '0', '200510'),
    { ...label('segmented', '1', '100118'), kind: '部件' },
    label('segmented', '7', '200104'),
  ]);
  const taxonomy = loadDefaultTaxonomy();
  const real = readRealSet(dir, join(dir, 'labels.jsonl'), join(dir, 'split.json'), taxonomy)!;

  it('train only, as the tokens joined, and never a copy of a raw message', () => {
    expect(real.test.map((e) => e.real.key)).toEqual(['unlabeled:1']);
    expect(real.train.map((e) => e.real.key)).toEqual(['unlabeled:2']);
    // Row 0 is a copy of the held-out letter: training on it would leak the letter.
    expect(real.segmented.map((e) => [e.real.key, e.text, e.label])).toEqual([
      ['segmented:1', '东风路口路灯不亮一个月晚上行人看不见', '100118'],
    ]);
    expect(real.segmentedCopies).toBe(1);
    // Row 7 is not in the file.
    expect(real.missing).toBe(1);
  });

  it('train the models their switch names (SEGMENTED_IN by default)', () => {
    const corpusDir = tempDir('nlp-segmented-corpus-');
    writeJsonl(join(corpusDir, 'rows.jsonl'), buildCorpusRows());
    const rows = (segmentedIn?: 'none' | 'both') =>
      trainClassifier({ corpusDir, dataDir: dir, real, segmentedIn }).stats.realRows;
    expect(rows()).toBe(SEGMENTED_IN === 'none' ? 1 : 2);
    expect(rows('none')).toBe(1);
    expect(rows('both')).toBe(2);
  });
});

describe("Cohen's kappa", () => {
  it('is 1 for full agreement, 0 for chance, negative below it', () => {
    expect(
      cohensKappa([
        ['a', 'a'],
        ['b', 'b'],
        ['c', 'c'],
      ]),
    ).toBe(1);
    expect(
      cohensKappa([
        ['a', 'a'],
        ['a', 'b'],
        ['b', 'a'],
        ['b', 'b'],
      ]),
    ).toBeCloseTo(0, 10);
    expect(
      cohensKappa([
        ['a', 'b'],
        ['b', 'a'],
      ]),
    ).toBeLessThan(0);
  });
});

describe('cross-validation folds', () => {
  it('keep the folds every run before --cv-seed had, and deal them again with a seed', () => {
    const groups = Array.from({ length: 12 }, (_, i) => `unlabeled:${i}`);
    // The folds of the README's runs: these must not move, or the figures there stop reproducing.
    expect(groups.map((g) => foldOf(g, 5))).toEqual([0, 0, 4, 1, 4, 0, 4, 2, 0, 2, 0, 1]);
    expect(groups.map((g) => foldOf(g, 5, 2))).toEqual([4, 3, 1, 0, 2, 2, 3, 1, 3, 0, 3, 1]);
  });
});
