import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadDefaultTaxonomy,
  loadOrTrainClassifier,
  loadTaxonomy,
  resolveModelPath,
  trainClassifier,
} from '../../nlp/index.js';
import { deserializeStaged } from '../../nlp/classifier/staged.js';
import { buildCorpusRows, tempDir, writeJsonl } from './helpers/fixtures.js';

function setup(rows: object[] = buildCorpusRows()) {
  const dir = tempDir('nlp-build-');
  const corpusDir = join(dir, 'corpus');
  mkdirSync(corpusDir);
  writeJsonl(join(corpusDir, 'fixture.jsonl'), rows);
  const logs: string[] = [];
  return { corpusDir, modelPath: join(dir, 'model', 'model.json'), logs, onLog: (m: string) => logs.push(m) };
}

describe('loadOrTrainClassifier', () => {
  const saved = process.env.NLP_MODEL_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.NLP_MODEL_PATH;
    else process.env.NLP_MODEL_PATH = saved;
  });

  it('trains and saves when the model is missing, then loads it', async () => {
    const { corpusDir, modelPath, logs, onLog } = setup();

    const first = await loadOrTrainClassifier({ modelPath, corpusDir, onLog });
    expect(existsSync(modelPath)).toBe(true);
    expect(logs.at(-1)).toMatch(/trained on 18 rows/);
    expect(first.classify('路灯坏了不亮').minor?.code).toBe('100118');

    const second = await loadOrTrainClassifier({ modelPath, corpusDir, onLog });
    expect(logs.at(-1)).toMatch(/loaded/);
    expect(second.classify('路灯坏了不亮')).toEqual(first.classify('路灯坏了不亮'));
  });

  it('retrains when the corpus changed or the model file is broken', async () => {
    const { corpusDir, modelPath, logs, onLog } = setup();
    await loadOrTrainClassifier({ modelPath, corpusDir, onLog });

    writeJsonl(join(corpusDir, 'more.jsonl'), [{ text: '路灯又坏了', label: '路灯', code: '100118' }]);
    await loadOrTrainClassifier({ modelPath, corpusDir, onLog });
    expect(logs.at(-2)).toMatch(/older than the corpus/);
    expect(logs.at(-1)).toMatch(/trained on 19 rows/);

    writeFileSync(modelPath, '{"format":"something else"}');
    await loadOrTrainClassifier({ modelPath, corpusDir, onLog });
    expect(logs.at(-2)).toMatch(/unreadable model/);
  });

  it('retrains a model made for another table', async () => {
    const { corpusDir, modelPath, logs, onLog } = setup();
    await loadOrTrainClassifier({ modelPath, corpusDir, onLog });

    const doc = JSON.parse(readFileSync(new URL('../../nlp/taxonomy/cities/default.json', import.meta.url), 'utf8'));
    doc.city = 'smaller';
    doc.categories = doc.categories.filter((c: { code: string }) => c.code !== '990001');
    const smaller = loadTaxonomy(doc);
    const classifier = await loadOrTrainClassifier({ modelPath, corpusDir, taxonomy: smaller, onLog });
    expect(logs.at(-2)).toMatch(/table lacks \(990001\)/);
    expect(classifier.classify('老板拖欠工资').minor?.code).not.toBe('990001');
  });

  it('fails clearly without any corpus rows', async () => {
    const dir = tempDir('nlp-empty-');
    await expect(
      loadOrTrainClassifier({ modelPath: join(dir, 'm.json'), corpusDir: join(dir, 'none') }),
    ).rejects.toThrow(/no usable corpus rows/);
  });

  it('trains on the real labels when their texts are at hand, and keeps that model where they are not', async () => {
    const { corpusDir, modelPath, logs, onLog } = setup();
    // A data directory of our own making, in the shape of ../shared/data/complaints.
    const dataDir = join(corpusDir, '..', 'data');
    mkdirSync(dataDir);
    writeJsonl(join(dataDir, 'teddy2020_unlabeled.jsonl'), [
      { id: '1', text: '尊敬的领导：您好！幸福路上的路灯坏了一个月了，晚上一片漆黑。谢谢！' },
      { id: '2', text: '公司拖欠我们三个月工资，老板不见人影，望早日解决。' },
    ]);
    writeJsonl(join(dataDir, 'teddy2020_train_raw.jsonl'), [
      { id: '3', text: '工地夜间施工噪音扰民。', label: '城乡建设' },
    ]);
    mkdirSync(join(corpusDir, 'real'));
    writeJsonl(join(corpusDir, 'real', 'labels.jsonl'), [
      { id: '1', src: 'unlabeled', kind: '部件', major: '1001', minor: '100118' },
      { id: '2', src: 'unlabeled', kind: '非城管', major: '9900', minor: '990001' },
      { id: '3', src: 'train_raw', kind: '事件', major: '2003', minor: '200301' },
    ]);
    writeFileSync(
      join(corpusDir, 'real', 'split.json'),
      JSON.stringify({ method: 'test', salt: 's', heldOutShare: 0, jaccard: 0.5, groups: {}, test: ['unlabeled:2'] }),
    );

    await loadOrTrainClassifier({ modelPath, corpusDir, dataDir, onLog });
    // The held-out message is never trained on.
    expect(logs.at(-1)).toMatch(/trained on 20 rows \(2 real\)/);

    writeJsonl(join(corpusDir, 'more.jsonl'), [{ text: '路灯又坏了', label: '路灯', code: '100118' }]);
    await loadOrTrainClassifier({ modelPath, corpusDir, dataDir: join(corpusDir, 'absent'), onLog });
    expect(logs.at(-1)).toMatch(/loaded .* not at hand/);
    await loadOrTrainClassifier({ modelPath, corpusDir, dataDir, onLog });
    expect(logs.at(-1)).toMatch(/trained on 21 rows \(2 real\)/);
  });

  it('takes the model a worker thread read at start when it is that file, and reads the file itself otherwise', async () => {
    const { corpusDir, modelPath, logs, onLog } = setup();
    const trained = await loadOrTrainClassifier({ modelPath, corpusDir, onLog });
    const decoded = { path: modelPath, ...deserializeStaged(readFileSync(modelPath, 'utf8')) };

    const fromWorker = await loadOrTrainClassifier({ modelPath, corpusDir, onLog, preread: Promise.resolve(decoded) });
    expect(logs.at(-1)).toMatch(/^classifier: loaded .* \(read on a worker thread\)$/);
    expect(fromWorker.classify('路灯坏了不亮')).toEqual(trained.classify('路灯坏了不亮'));

    // Another file's model, or none (the thread could not read it): the file at modelPath is read here.
    for (const preread of [{ ...decoded, path: join(corpusDir, 'other.json') }, null]) {
      await loadOrTrainClassifier({ modelPath, corpusDir, onLog, preread: Promise.resolve(preread) });
      expect(logs.at(-1)).toBe(`classifier: loaded ${modelPath}`);
    }
  });

  it('takes the model path from NLP_MODEL_PATH unless given one', () => {
    process.env.NLP_MODEL_PATH = '/srv/models/chengguan.json';
    expect(resolveModelPath()).toBe('/srv/models/chengguan.json');
    expect(resolveModelPath('/tmp/x.json')).toBe('/tmp/x.json');
  });
});

describe('trainClassifier', () => {
  it('skips and reports rows whose 小类 the table lacks or whose code and name disagree', () => {
    const { corpusDir } = setup([
      ...buildCorpusRows(),
      { text: '井盖没了', label: '井盖', code: '109999' },
      { text: '路灯坏了', label: '施工扰民', code: '100118' },
      { text: '路灯不亮', label: '路灯' },
    ]);
    const trained = trainClassifier({ corpusDir, taxonomy: loadDefaultTaxonomy() });
    expect(trained.stats.rows).toBe(19);
    expect(trained.stats.skipped.map((s) => s.reason)).toEqual([
      'no 小类 109999 井盖 in table default',
      'code 100118 is 路灯, label says 施工扰民',
    ]);
  });

  it('leaves the corpus rows it is told to hold out (by text) out of training', () => {
    const rows = buildCorpusRows();
    const { corpusDir } = setup(rows);
    const taxonomy = loadDefaultTaxonomy();
    const all = trainClassifier({ corpusDir, taxonomy });
    const heldOut = new Set([rows[0].text, rows[7].text, '语料里没有的一句话']);
    const rest = trainClassifier({ corpusDir, taxonomy, corpusHeldOut: heldOut });
    expect(all.stats.rows).toBe(rows.length);
    expect(rest.stats.rows).toBe(rows.length - 2);
  });
});
