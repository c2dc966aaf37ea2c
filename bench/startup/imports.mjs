// Module loading alone — what tsx, `npm run build`'s dist/ and an esbuild bundle cost before the
// service does any work: imports the modules server/main.ts starts with and prints the CPU time
// (less sensitive than wall time on a shared machine) and the wall time it took.
//   node --import tsx bench/startup/imports.mjs src      (TypeScript through tsx)
//   node bench/startup/imports.mjs dist                  (after npm run build)
//   node bench/startup/imports.mjs bundle                (esbuild bundle of the same modules, built first)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modules = ['config', 'log', 'db/client', 'jobs/boss', 'services', 'app', 'seed/seed', 'wiring', 'classify'];
const mode = process.argv[2] ?? 'src';

if (mode === 'bundle' && !process.env.BUNDLED) {
  // Bundle an entry that imports the same modules, then time that file in a fresh process.
  // Inside the checkout (.tmp/ is ignored), so the bundle's external packages resolve from node_modules.
  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(root, '.tmp', 'bundle-'));
  const entry = path.join(dir, 'entry.ts');
  writeFileSync(entry, modules.map((m) => `import '${path.join(root, 'server', m)}.ts';`).join('\n'));
  const out = path.join(dir, 'bundle.mjs');
  const esb = spawnSync(
    path.join(root, 'node_modules/.bin/esbuild'),
    [
      entry,
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--packages=external',
      `--outfile=${out}`,
      '--log-level=error',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (esb.status !== 0) process.exit(1);
  const run = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const t=performance.now();const c0=process.cpuUsage();await import(${JSON.stringify(pathToFileURL(out).href)});const c=process.cpuUsage(c0);console.log(\`bundle: \${((c.user+c.system)/1e6).toFixed(2)} s CPU, \${((performance.now()-t)/1000).toFixed(2)} s wall\`);`,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, BUNDLED: '1' } },
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(run.status ?? 1);
}

const t0 = performance.now();
const c0 = process.cpuUsage();
for (const m of modules) {
  const file = mode === 'dist' ? path.join(root, 'dist/server', `${m}.js`) : path.join(root, 'server', `${m}.ts`);
  await import(pathToFileURL(file).href);
}
const c = process.cpuUsage(c0);
console.log(
  `${mode}: ${((c.user + c.system) / 1e6).toFixed(2)} s CPU, ${((performance.now() - t0) / 1000).toFixed(2)} s wall`,
);
