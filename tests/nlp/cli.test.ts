import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * A corpus directory (its rows as given) and a data directory whose "real" messages are our own
 * sentences, as messages of the unlabelled file, labelled by id; `heldOut` ids go to the held-out split.
 */
function realFixture(corpusRows: object[], heldOut: string[]) {
  const f = fixture();
  const corpusDir = join(f.dir, 'corpus');
  const dataDir = join(f.dir, 'data');
  mkdirSync(join(corpusDir, 'real'), { recursive: true });
  mkdirSync(dataDir);
  writeJsonl(join(corpusDir, 'part.jsonl'), corpusRows);
  const messages = buildCorpusRows().map((r, i) => ({
    id: String(100 + i),
    text: `${r.text}，请尽快处理`,
    code: r.code!,
  }));
  writeJsonl(
    join(dataDir, 'teddy2020_unlabeled.jsonl'),
    messages.map(({ id, text }) => ({ id, text })),
  );
  writeJsonl(join(dataDir, 'teddy2020_train_raw.jsonl'), []);
  const kindOf = (code: string) => (code.startsWith('99') ? '非城管' : code.startsWith('1') ? '部件' : '事件');
  writeJsonl(
    join(corpusDir, 'real', 'labels.jsonl'),
    messages.map(({ id, code }) => ({
      id,
      src: 'unlabeled',
      kind: kindOf(code),
      major: code.slice(0, 4),
      minor: code,
      multi: false,
      unsure: false,
    })),
  );
  writeFileSync(
    join(corpusDir, 'real', 'split.json'),
    JSON.stringify({ method: 'test', test: heldOut.map((id) => `unlabeled:${id}`), groups: {} }),
  );
  return { dir: f.dir, corpusDir, dataDir, messages };
}

describe('nlp:eval --real --cv --dump', () => {
  it("writes each training message's out-of-fold prediction by id and codes, never its text", () => {
    // Two messages held out: they must not appear in the dump.
    const f = realFixture(buildCorpusRows(), ['100', '106']);
    const { corpusDir, dataDir, messages } = f;
    const dump = join(f.dir, 'oof.jsonl');
    const out = run('nlp/cli/eval.ts', [
      '--real',
      '--cv',
      '2',
      '--corpus-dir',
      corpusDir,
      '--data-dir',
      dataDir,
      '--dump',
      dump,
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^kind_major_accuracy: /m);
    const text = readFileSync(dump, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id).sort()).toEqual(
      messages
        .map((m) => m.id)
        .filter((id) => id !== '100' && id !== '106')
        .sort(),
    );
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(
        ['alternatives', 'confidence', 'id', 'label', 'pOther', 'predicted', 'src', 'unsure'].sort(),
      );
    }
    expect(text).not.toMatch(/请尽快处理|路灯|施工|工资/);
  });

  it('with --chat-check, scores the corpus chat-style rows out of fold and reports the sure and right share', () => {
    const rows = buildCorpusRows();
    // Every third row is a chat line; the others are plain written rows.
    const { corpusDir, dataDir } = realFixture(
      rows.map((r, i) => (i % 3 === 0 ? { ...r, style: 'chat' } : r)),
      [],
    );
    const chatRows = rows.filter((_, i) => i % 3 === 0).length;
    const args = ['--real', '--cv', '2', '--corpus-dir', corpusDir, '--data-dir', dataDir, '--side-sweep'];
    const out = run('nlp/cli/eval.ts', [...args, '--chat-check']);
    expect(out.code, out.stderr).toBe(0);
    const line = out.stdout.split('\n').find((l) => l.startsWith('chat check'));
    expect(line).toBeDefined();
    const [, rightSure, wrongSure, sure, n] = line!.match(
      /right and sure ([\d.]+)%, wrong but sure ([\d.]+)%, sure ([\d.]+)%, 小类 [\d.]+ \((\d+) rows\)/,
    )!;
    expect(Number(n)).toBe(chatRows);
    // Each share is rounded to 0.1 on its own.
    expect(Math.abs(Number(rightSure) + Number(wrongSure) - Number(sure))).toBeLessThan(0.15);
    expect(out.stdout).toMatch(/chat right and sure\n(?:.*%\s+[\d.]+%\n?){9}/);
    // Without the flag nothing is held out and no chat line is printed.
    const plain = run('nlp/cli/eval.ts', args);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toMatch(/chat check/);
  });
});
