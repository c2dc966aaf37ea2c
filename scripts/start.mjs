// `npm start`: build what the browser needs if it is stale, then run the service in this process's place:
// the compiled service in dist/ when `npm install` built it and no source is newer (it starts in about half
// the CPU time and 40 MB less memory: no TypeScript loader), else the sources through tsx.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildUis, newest } from './uis.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const compiled = path.join(root, 'dist/server/main.js');

/** dist/ is current when it was built after the last change to anything the build compiles or copies. */
export function compiledIsCurrent(checkout = root) {
  const main = path.join(checkout, 'dist/server/main.js');
  if (!existsSync(main)) return false;
  const built = statSync(main).mtimeMs;
  return ['server', 'nlp', 'telephony'].every((dir) => newest(path.join(checkout, dir)) <= built);
}

/**
 * The V8 flags the service runs with, here and (written out, checked by tests/deploy/start.test.ts) in
 * `npm run serve` and the Dockerfile: a 4 MB young generation instead of V8's 16 MB (~40 MB less RSS at
 * rest), and a 512 MB old generation, whose smaller ceiling makes V8 grow the heap by less than ×4 of what a
 * full collection leaves (under load: 415 → ~300 MB peak on PGlite). Measured in the README (issue #18).
 */
export const V8_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=512'];

if (process.argv[1] === new URL(import.meta.url).pathname) {
  buildUis();
  const entry = compiledIsCurrent() ? [compiled] : ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, [...V8_FLAGS, ...entry], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
