// `npm test`: build the UIs the browser tests drive, run every test once, and print one plain summary line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildUis } from './uis.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
buildUis({ weapp: true });
const label = process.env.DATABASE_URL ? 'postgres' : 'pglite';
mkdirSync(path.join(root, 'tests/artifacts'), { recursive: true });
const report = path.join(root, `tests/artifacts/vitest-${label}.json`);
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
process.stdout.write(`\n== 测试 / tests on ${label} ==\n`);
const res = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });
let passed = 0;
let failed = 0;
let brokenFiles = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  // A file that fails outside any test (an import or a hook) has no failed test to count.
  brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
}
const broken = brokenFiles ? `, ${brokenFiles} file(s) failed outside a test` : '';
process.stdout.write(`${label}: ${passed} passed, ${failed} failed${broken}\n`);
process.exit(res.status === 0 && failed === 0 && brokenFiles === 0 && passed > 0 ? 0 : 1);
