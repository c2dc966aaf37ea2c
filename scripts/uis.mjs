// Builds the admin console and the mini-program's h5 build when their output is missing or older than their sources;
// the mini-program's weapp build (for WeChat's developer tool, never served) only on request (--weapp; `npm test` asks).
// `npm install` runs this through the root's `prepare` (scripts/prepare.mjs; --prepare by hand): a build that cannot run there (no dev dependencies)
// or fails is reported and left to `npm start`, and never fails the install.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** The newest modification time under `dir` (its node_modules and dist left out). */
export function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Precompressed copies beside each asset: the server sends .br or .gz to browsers that accept them. */
function precompress(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) precompress(p);
    else if (/\.(js|css|html|svg|json|wasm)$/.test(entry.name) && statSync(p).size > 1024) {
      const data = readFileSync(p);
      writeFileSync(`${p}.gz`, gzipSync(data, { level: 9 }));
      writeFileSync(`${p}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
}

export const uis = [
  { workspace: 'admin', script: 'build', output: 'admin/dist/index.html', label: '管理后台', web: true },
  {
    workspace: 'miniprogram',
    script: 'build:h5',
    output: 'miniprogram/dist/h5/index.html',
    label: '小程序 H5',
    web: true,
  },
  {
    workspace: 'miniprogram',
    script: 'build:weapp',
    output: 'miniprogram/dist/weapp/app.json',
    label: '小程序（微信开发者工具）',
    web: false,
  },
];

export function buildUis({ force = false, weapp = false, tolerant = false } = {}) {
  for (const ui of uis) {
    if (!ui.web && !weapp) continue;
    const pkg = JSON.parse(readFileSync(path.join(root, ui.workspace, 'package.json'), 'utf8'));
    if (!pkg.scripts?.[ui.script]) continue;
    const out = path.join(root, ui.output);
    const stale = !existsSync(out) || newest(path.join(root, ui.workspace)) > statSync(out).mtimeMs;
    if (!force && !stale) continue;
    process.stdout.write(`正在构建${ui.label}（${ui.workspace} ${ui.script}）…\n`);
    const res = spawnSync('npm', ['run', ui.script, '-w', ui.workspace], { cwd: root, stdio: 'inherit' });
    if (res.status !== 0) {
      process.stderr.write(`${ui.label}构建失败 / ${ui.script} of ${ui.workspace} failed\n`);
      if (tolerant) continue;
      process.exit(res.status ?? 1);
    }
    if (ui.web) precompress(path.dirname(out));
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const flag = (name) => process.argv.includes(name);
  buildUis({ force: flag('--force'), weapp: flag('--weapp'), tolerant: flag('--prepare') });
}
