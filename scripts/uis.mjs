// Builds the admin console and the mini-program's h5 build when their output is missing or older than their sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function newest(dir) {
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
  { workspace: 'admin', output: 'admin/dist/index.html', label: '管理后台' },
  { workspace: 'miniprogram', output: 'miniprogram/dist/h5/index.html', label: '小程序 H5' },
];

export function buildUis({ force = false } = {}) {
  for (const ui of uis) {
    const pkg = JSON.parse(readFileSync(path.join(root, ui.workspace, 'package.json'), 'utf8'));
    if (!pkg.scripts?.build) continue;
    const out = path.join(root, ui.output);
    const stale = !existsSync(out) || newest(path.join(root, ui.workspace)) > statSync(out).mtimeMs;
    if (!force && !stale) continue;
    process.stdout.write(`正在构建${ui.label}（${ui.workspace}）…\n`);
    const res = spawnSync('npm', ['run', 'build', '-w', ui.workspace], { cwd: root, stdio: 'inherit' });
    if (res.status !== 0) {
      process.stderr.write(`${ui.label}构建失败 / build of ${ui.workspace} failed\n`);
      process.exit(res.status ?? 1);
    }
    precompress(path.dirname(out));
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) buildUis({ force: process.argv.includes('--force') });
