import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpusRows, tempDir, writeJsonl } from './helpers/fixtures.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fixture() {
  const dir = tempDir('nlp-cli-');
  const rows = buildCorpusRows();
  const tokenRows = rows.map(({ text, label }) => ({ tokens: [...text].join(' '), label }));
  return {
    dir,
    all: writeJsonl(join(dir, 'all.jsonl'), rows),
    train: writeJsonl(
      join(dir, 'train.jsonl'),
      rows.filter((_, i) => i % 3 !== 0),
    ),
    test: writeJsonl(
      join(dir, 'test.jsonl'),
      rows.filter((_, i) => i % 3 === 0),
    ),
    tokens: writeJsonl(join(dir, 'tokens.jsonl'), tokenRows),
  };
}

function expectFigures(stdout: string, label = '路灯') {
  const lines = stdout.split('\n');
  expect(lines[0]).toMatch(/^accuracy: [01]\.\d{4}$/);
  expect(lines[1]).toMatch(/^macro_f1: [01]\.\d{4}$/);
  expect(stdout).toMatch(/^per class:$/m);
  expect(stdout).toMatch(new RegExp(`^${label}\\s+\\d+\\s+[01]\\.\\d{4}`, 'm'));
  expect(stdout).toMatch(/^confusion matrix/m);
  expect(stdout).toMatch(/^latency_p50_ms: \d+\.\d{3}$/m);
  expect(stdout).toMatch(/^latency_p99_ms: \d+\.\d{3}$/m);
  expect(stdout).toMatch(/^throughput: \d+ texts\/s$/m);
}

describe('nlp:eval', () => {
  it('trains on files and tests on another', () => {
    const f = fixture();
    const out = run('nlp/cli/eval.ts', ['--train', f.train, f.tokens, '--test', f.test]);
    expect(out.code, out.stderr).toBe(0);
    expectFigures(out.stdout);
    expect(out.stderr).not.toMatch(/\[=*-*\]|░/);
  });

  it('cross-validates raw text and pre-segmented tokens', () => {
    const f = fixture();
    for (const data of [f.all, f.tokens]) {
      const out = run('nlp/cli/eval.ts', ['--kfold', '3', '--data', data, '--seed', '3']);
      expect(out.code, out.stderr).toBe(0);
      expectFigures(out.stdout);
      expect(out.stdout).toMatch(/3-fold over 18 rows/);
    }
  });

  it('cross-validates a corpus directory by 小类 code', () => {
    const f = fixture();
    const corpusDir = join(f.dir, 'corpus');
    mkdirSync(corpusDir);
    writeJsonl(join(corpusDir, 'part.jsonl'), buildCorpusRows());
    const out = run('nlp/cli/eval.ts', ['--corpus', '--corpus-dir', corpusDir, '--kfold', '3']);
    expect(out.code, out.stderr).toBe(0);
    expectFigures(out.stdout, '100118 路灯');
  });

  it('explains bad arguments', () => {
    const out = run('nlp/cli/eval.ts', ['--kfold', '3']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--kfold needs --data/);
    expect(run('nlp/cli/eval.ts', ['--engine', 'bert', '--corpus']).stderr).toMatch(/unknown engine bert/);
  });
});

describe('nlp:train', () => {
  it('writes the model where --out or NLP_MODEL_PATH says', () => {
    const f = fixture();
    const corpusDir = join(f.dir, 'corpus');
    mkdirSync(corpusDir);
    writeJsonl(join(corpusDir, 'part.jsonl'), buildCorpusRows());

    const out = run('nlp/cli/train.ts', ['--corpus-dir', corpusDir, '--out', join(f.dir, 'a.json')]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/trained on: 18 corpus rows \+ 0 real messages/);
    expect(existsSync(join(f.dir, 'a.json'))).toBe(true);

    const env = run('nlp/cli/train.ts', ['--corpus-dir', corpusDir], { NLP_MODEL_PATH: join(f.dir, 'b.json') });
    expect(env.code, env.stderr).toBe(0);
    expect(existsSync(join(f.dir, 'b.json'))).toBe(true);
  });
});
