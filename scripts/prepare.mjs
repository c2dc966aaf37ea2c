// `npm install` runs this (the root package's prepare): the UIs, then the compiled service that `npm start`
// runs when it is current. Nothing here fails the install: what cannot be built (no dev dependencies, an
// error) is reported and left to `npm start`, which builds the UIs itself and runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildUis } from './uis.mjs';
import { compiledIsCurrent } from './start.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

buildUis({ tolerant: true });
if (!compiledIsCurrent() && existsSync(path.join(root, 'node_modules/typescript'))) {
  const res = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0)
    process.stderr.write(
      '服务编译失败，npm start 将直接运行源码 / build of dist/ failed: npm start runs the sources\n',
    );
}
