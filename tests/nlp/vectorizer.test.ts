import { describe, expect, it } from 'vitest';
import {
  forEachObject,
  hashFeatures,
  prepareText,
  PRODUCT_FEATURES,
  segmentDoc,
} from '../../nlp/classifier/features.js';
import { logits, vectorize } from '../../nlp/classifier/model.js';
import { sparseLogits, sparseWeights } from '../../nlp/classifier/sparse.js';
import { trainLinear } from '../../nlp/classifier/train.js';
import { FeatureVectorizer } from '../../nlp/classifier/vectorizer.js';
import { normalizeText } from '../../nlp/text/normalize.js';
import { buildCorpusRows } from './helpers/fixtures.js';

const examples = buildCorpusRows().map(({ text, code }) => ({ text, label: code! }));
const model = trainLinear(examples, { minDf: 1, features: PRODUCT_FEATURES });

const TEXTS = [
  '尊敬的领导：您好！幸福路3号楼门口的路灯坏了三天了。',
  '工地夜里施工太吵，ＡＢＣ１２３ 𠀀 😀',
  'Street light broken 路灯',
  '',
  '小区外面的马路上有人摆摊，占道经营，垃圾也没人清理',
];

describe('FeatureVectorizer (classify’s path from text to model input)', () => {
  it('gives the same vector as hashing into a Map and vectorising', () => {
    const fast = new FeatureVectorizer(model.index, model.idf);
    for (const text of TEXTS) {
      const doc = prepareText(normalizeText(text), PRODUCT_FEATURES);
      const slow = vectorize(hashFeatures(doc, PRODUCT_FEATURES), model.index, model.idf);
      const got = fast.vectorize(doc, PRODUCT_FEATURES);
      expect([...got.idx]).toEqual([...slow.idx]);
      expect([...got.val]).toEqual([...slow.val]);
    }
    // The non-empty texts do reach features the model knows.
    expect(fast.vectorize(prepareText(TEXTS[0], PRODUCT_FEATURES), PRODUCT_FEATURES).idx.length).toBeGreaterThan(5);
  });
});

describe('object words (the tableObjects switch)', () => {
  const config = { ...PRODUCT_FEATURES, objects: ['井盖', '雨水井盖', '路灯', '路灯杆'] };
  const found = (text: string) => {
    const keys: number[] = [];
    forEachObject(text, config, (key) => keys.push(key));
    return keys;
  };

  it('gives one key per object word the text contains, once however often it occurs', () => {
    const keys = found('路灯不亮，路灯杆也歪了，旁边的雨水井盖丢了，路灯还是不亮');
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    expect(found('路灯坏了')).toHaveLength(1);
    expect(found('马路上有人摆摊')).toEqual([]);
    // The same word gives the same key in every text.
    expect(found('井盖')).toEqual(found('这里的井盖'));
  });

  it('adds the same features on the fast path as on the Map path', () => {
    const withObjects = trainLinear(examples, { minDf: 1, features: config });
    const fast = new FeatureVectorizer(withObjects.index, withObjects.idf);
    const doc = prepareText(normalizeText('幸福路的路灯杆倒了，井盖也没了'), config);
    const slow = vectorize(hashFeatures(doc, config), withObjects.index, withObjects.idf);
    const got = fast.vectorize(doc, config);
    expect([...got.idx]).toEqual([...slow.idx]);
    expect([...got.val]).toEqual([...slow.val]);
    const without = hashFeatures(doc, PRODUCT_FEATURES);
    // 路灯杆, the 路灯 inside it, and 井盖.
    expect(hashFeatures(doc, config).size).toBe(without.size + 3);
  });
});

describe('sparseWeights', () => {
  it('with no tolerance scores exactly as the dense weights', () => {
    const x = vectorize(
      hashFeatures(prepareText(TEXTS[4], PRODUCT_FEATURES), PRODUCT_FEATURES),
      model.index,
      model.idf,
    );
    const classes = model.labels.length;
    const dense = logits(model, x, new Float64Array(classes));
    const sparse = sparseLogits(sparseWeights(model, 0), x, new Float64Array(classes));
    dense.forEach((v, c) => expect(sparse[c]).toBeCloseTo(v, 5));
  });

  it('drops the weights under the tolerance × their row’s largest, and only those', () => {
    // Two feature rows of three classes: 0.01 is under 2% of 1, 0.03 under 2% of 2, 0.05 is not.
    const weights = Float32Array.from([1, 0.01, -0.5, 0.05, -2, 0.03]);
    const sparse = sparseWeights({ weights, bias: new Float32Array(3) }, 0.02);
    expect([...sparse.start]).toEqual([0, 2, 4]);
    expect([...sparse.classes]).toEqual([0, 2, 0, 1]);
    expect([...sparse.weights]).toEqual([1, -0.5, 0.05, -2].map(Math.fround));
  });
});

describe('the lead of a segmented row (tokensLead)', () => {
  const tokens = ['东湖路', '井盖', '缺失', '行人', '踩空', '危险', '晚上', '没有', '路灯'];
  const config = { ...PRODUCT_FEATURES, words: true };

  it('is the first sentence by default, which a row without punctuation does not end', () => {
    expect(segmentDoc({ tokens }, config).lead).toBe(tokens.join(''));
  });

  it('is the first N characters with tokensLead N, none with 0, and raw text keeps its title', () => {
    expect(segmentDoc({ tokens }, { ...config, tokensLead: 5 }).lead).toBe('东湖路井盖');
    expect(segmentDoc({ tokens }, { ...config, tokensLead: 0 }).lead).toBeUndefined();
    expect(segmentDoc({ text: '东湖路井盖缺失。行人容易踩空' }, { ...config, tokensLead: 3 }).lead).toBe(
      '东湖路井盖缺失',
    );
  });
});
