import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { compiledIsCurrent, V8_FLAGS } from '../../scripts/start.mjs';

/** A checkout with one source file in each compiled folder and, if `built` is given, dist/server/main.js. */
function checkout(built?: Date): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-start-'));
  for (const folder of ['server', 'nlp/model', 'telephony']) {
    mkdirSync(path.join(dir, folder), { recursive: true });
    const file = path.join(dir, folder, 'x.ts');
    writeFileSync(file, '');
    utimesSync(file, new Date(2026, 0, 1), new Date(2026, 0, 1));
  }
  if (built) {
    mkdirSync(path.join(dir, 'dist/server'), { recursive: true });
    writeFileSync(path.join(dir, 'dist/server/main.js'), '');
    utimesSync(path.join(dir, 'dist/server/main.js'), built, built);
  }
  return dir;
}

describe('npm start: compiled service or sources', () => {
  it('runs dist/ when it was built after every source', () => {
    expect(compiledIsCurrent(checkout(new Date(2026, 0, 2)))).toBe(true);
  });

  it('runs the sources when there is no dist/', () => {
    expect(compiledIsCurrent(checkout())).toBe(false);
  });

  it('runs the sources when any file the build compiles or copies changed after it (a retrained model too)', () => {
    const dir = checkout(new Date(2026, 0, 2));
    writeFileSync(path.join(dir, 'nlp/model/model.json'), '{}');
    expect(compiledIsCurrent(dir)).toBe(false);
  });
});

describe('the V8 flags the service runs with', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  it('are the same for npm start, npm run serve and the Docker image', () => {
    expect(V8_FLAGS).toContain('--max-semi-space-size=4');
    expect(V8_FLAGS).toContain('--max-old-space-size=512');
    const serve = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.serve as string;
    expect(serve).toBe(['node', ...V8_FLAGS, 'dist/server/main.js'].join(' '));
    const cmd = readFileSync(path.join(root, 'Dockerfile'), 'utf8').match(/^CMD (\[.*\])$/m)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...V8_FLAGS, 'dist/server/main.js']);
  });
});
