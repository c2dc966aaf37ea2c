// `npm run build`: compile the service (server/, nlp/, telephony/) to dist/ with tsc, then copy the
// files those folders read at run time (migrations, taxonomy and corpus JSON, PBX configurations,
// a trained model) to the same places under dist/, so code that finds them beside itself
// (import.meta.url) finds them there too, bundles the service into dist/server/main.js (scripts/bundle.mjs), and makes the PGlite folder a first start copies (dist/pglite-template). `npm run serve` and the Dockerfile run dist/server/main.js.
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleService } from './bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
const started = Date.now();

rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
function copyAssets(rel) {
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) copyAssets(child);
    else if (!/\.(ts|tsx|mts|cts)$/.test(entry.name)) {
      cpSync(path.join(root, child), path.join(out, child), {});
      copied += statSync(path.join(root, child)).size;
    }
  }
}
for (const dir of ['server', 'nlp', 'telephony']) copyAssets(dir);
// The service as one module and its lazily loaded chunks, in place of tsc's dist/server/main.js (scripts/bundle.mjs).
try {
  const bundle = await bundleService();
  console.log(`bundled dist/server/main.js: ${bundle.files} files, ${(bundle.bytes / 1e6).toFixed(1)} MB`);
} catch (err) {
  process.stderr.write(`bundling the service failed: ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
}
// A first start on an empty PGlite folder copies this instead of running initdb, the migrations and the
// seed (server/seed/pgliteTemplate.ts). Without it a first start only takes longer, so a failure is reported, not fatal.
const template = spawnSync(process.execPath, [path.join(out, 'server/seed/templateCli.js')], {
  cwd: root,
  stdio: 'inherit',
});
if (template.status !== 0)
  process.stderr.write('PGlite template not built: a first start will create its folder itself\n');
console.log(
  `built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${(copied / 1e6).toFixed(1)} MB of assets copied)`,
);
