import { describe, expect, it } from 'vitest';
import { hashFeatures, prepareText, PRODUCT_FEATURES } from '../../nlp/classifier/features.js';
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
