import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packagesReachedFrom } from '../helpers/imports.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('dependencies', () => {
  // Every package the production server may load from dist/server/main.js, `import()`s included.
  const reached = packagesReachedFrom(path.join(root, 'server/main.ts'), { dynamic: true });

  it('the production install (--omit=dev) holds every package the server loads', () => {
    expect([...reached.keys()].filter((p) => !(p in pkg.dependencies)).sort()).toEqual([]);
  });

  it('lists nothing the server does not load (tools and tests use devDependencies)', () => {
    expect(Object.keys(pkg.dependencies).filter((p) => !reached.has(p))).toEqual([]);
    for (const devOnly of ['node-nlp', 'cli-progress', 'wechaty-puppet-mock'])
      expect(pkg.devDependencies).toHaveProperty(devOnly);
  });
});
