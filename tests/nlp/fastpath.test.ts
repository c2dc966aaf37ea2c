import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../nlp/classifier/classify.js';
import { readCorpus } from '../../nlp/classifier/corpus.js';
import { prepareText } from '../../nlp/classifier/features.js';
import { softmax } from '../../nlp/classifier/model.js';
import { SimdScorer } from '../../nlp/classifier/simd.js';
import { sparseLogits, sparseWeights } from '../../nlp/classifier/sparse.js';
import { deserializeStaged, SPARSE_TOLERANCE } from '../../nlp/classifier/staged.js';
import { FeatureVectorizer } from '../../nlp/classifier/vectorizer.js';
import { entitiesOfNormalized } from '../../nlp/extract/entities.js';
import { DEFAULT_CORPUS_DIR, DEFAULT_MODEL_PATH, loadDefaultTaxonomy } from '../../nlp/index.js';
import { normalizeText } from '../../nlp/text/normalize.js';

// The committed product model and our own written corpus: no data directory needed.
const taxonomy = loadDefaultTaxonomy();
const { model } = deserializeStaged(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
const texts = [
  ...readCorpus(DEFAULT_CORPUS_DIR, taxonomy).examples.map((e) => e.text ?? ''),
  '尊敬的领导：您好！我是幸福路阳光花园小区的业主，小区门外的人行道上天天有人摆摊卖菜，占道经营，垃圾遍地。',
  '喂你好我想反映个事情就是那个',
  'Street light broken 路灯',
  '',
];

describe('SimdScorer (the 小类 scores in WebAssembly SIMD)', () => {
  const weights = sparseWeights(model.minor, SPARSE_TOLERANCE);
  const simd = SimdScorer.create(weights);
  const vectorizer = new FeatureVectorizer(model.minor.index, model.minor.idf);
  const classes = model.minor.labels.length;

  it('is available in this Node', () => {
    expect(simd).not.toBeNull();
  });

  it('gives exactly the JavaScript sums, so the same probabilities, on every corpus text', () => {
    let compared = 0;
    for (const text of texts) {
      const x = vectorizer.vectorize(prepareText(normalizeText(text), model.minor.features), model.minor.features);
      const js = sparseLogits(weights, x, new Float64Array(classes));
      const wasm = simd!.logits(x, new Float64Array(classes));
      for (let c = 0; c < classes; c++) {
        // === : equal doubles (a zero's sign aside, which no later step can see).
        if (js[c] !== wasm[c]) expect(wasm[c]).toBe(js[c]);
      }
      const pj = softmax(js, model.minor.temperature);
      const pw = softmax(wasm, model.minor.temperature);
      for (let c = 0; c < classes; c++) if (pj[c] !== pw[c]) expect(pw[c]).toBe(pj[c]);
      compared++;
    }
    expect(compared).toBeGreaterThan(2000);
  });
});

describe('classify() finds entities only when they are read', () => {
  const classifier = createClassifier(model, taxonomy);
  const text = '幸福路阳光花园小区3号楼门口的路灯坏了三天了，电话13812345678';

  it('gives the entities of the text when read, and carries them in JSON and spreads', () => {
    const result = classifier.classify(text);
    const expected = entitiesOfNormalized(normalizeText(text));
    expect(expected.phones).toEqual(['13812345678']);
    expect(result.entities).toEqual(expected);
    expect(result.entities).toBe(result.entities); // found once
    expect(JSON.parse(JSON.stringify(classifier.classify(text))).entities).toEqual(expected);
    expect({ ...classifier.classify(text) }.entities).toEqual(expected);
    expect(Object.keys(result)).toContain('entities');
  });

  it('lets a caller replace them', () => {
    const result = classifier.classify(text);
    result.entities = { locations: [], times: [], phones: [] };
    expect(result.entities.phones).toEqual([]);
  });

  it('has entities for texts that cannot be judged too', () => {
    expect(classifier.classify('13812345678').entities.phones).toEqual(['13812345678']);
    expect(classifier.classify('').entities).toEqual({ locations: [], times: [], phones: [] });
  });
});

describe('the 非城管 side threshold (sideAt)', () => {
  const text = '公司三个月没发工资了，老板跑路了，劳动监察大队也不管';

  it('is read from the model file, and puts a message on the 城管 side below it', () => {
    expect(model.sideAt).toBeGreaterThanOrEqual(0.5);
    const usual = createClassifier(model, taxonomy).classify(text);
    expect(usual.kind).toBe('非城管');
    expect(usual.pOther!).toBeGreaterThanOrEqual(model.sideAt!);
    // A side threshold above its P(非城管): the best 城管 小类, never a transfer.
    const strict = createClassifier(model, taxonomy, { sideAt: usual.pOther! + 1e-9 }).classify(text);
    expect(['部件', '事件']).toContain(strict.kind);
    expect(strict.transfer).toBeUndefined();
    expect(strict.pOther).toBe(usual.pOther);
    expect(strict.confidence).toBeLessThan(0.5);
    expect(strict.reviewReasons).toContain('low_confidence');
  });
});
