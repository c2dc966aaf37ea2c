import { describe, expect, it } from 'vitest';
import { deserializeModel, predict, serializeModel } from '../../nlp/classifier/model.js';
import { trainLinear } from '../../nlp/classifier/train.js';
import { buildCorpusRows } from './helpers/fixtures.js';

const examples = buildCorpusRows().map(({ text, code }) => ({ text, label: code! }));

describe('trainLinear', () => {
  it('is deterministic: the same data gives the same weights', () => {
    const a = trainLinear(examples, { minDf: 1 });
    const b = trainLinear(examples, { minDf: 1 });
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect(a.temperature).toBe(b.temperature);
  });

  it('survives a round trip through the model file, weights quantised to int8', () => {
    const model = trainLinear(examples, { minDf: 1 });
    const { model: loaded, meta } = deserializeModel(serializeModel(model, { city: 'x' }));
    expect(meta).toEqual({ city: 'x' });
    for (const text of ['路灯不亮', '工地太吵', '拖欠工资']) {
      const [a, b] = [predict(loaded, { text }), predict(model, { text })];
      expect(a.map((r) => r.label)).toEqual(b.map((r) => r.label));
      a.forEach((r, i) => expect(Math.abs(r.p - b[i].p)).toBeLessThan(0.01));
    }
  });

  it('reads segmented tokens like the raw text they came from', () => {
    const model = trainLinear(examples, { minDf: 1 });
    const raw = predict(model, { text: '小区外面的路灯坏了' });
    const tokens = predict(model, { tokens: ['小区', '外面', '路灯', '坏', '了'] });
    expect(tokens[0].label).toBe(raw[0].label);
    expect(Math.abs(tokens[0].p - raw[0].p)).toBeLessThan(0.1);
  });
});
