import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Specifiers the file loads at run time: imports, re-exports and dynamic imports, not `import type`. */
function runtimeSpecifiers(source: string): string[] {
  const found: string[] = [];
  const statics = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  const dynamics = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(statics)) found.push(m[1]);
  for (const m of source.matchAll(dynamics)) found.push(m[1]);
  return found;
}

const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

/** Every package the production server reaches from dist/server/main.js, following our own modules. */
function packagesReachedFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of runtimeSpecifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
        if (existsSync(target)) queue.push(target);
        else if (!existsSync(path.resolve(path.dirname(file), spec))) throw new Error(`${file}: ${spec} not found`);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) packages.add(packageOf(spec));
    }
  }
  return packages;
}

describe('dependencies', () => {
  const reached = packagesReachedFrom(path.join(root, 'server/main.ts'));

  it('the production install (--omit=dev) holds every package the server loads', () => {
    expect([...reached].filter((p) => !(p in pkg.dependencies)).sort()).toEqual([]);
  });

  it('lists nothing the server does not load (tools and tests use devDependencies)', () => {
    expect(Object.keys(pkg.dependencies).filter((p) => !reached.has(p))).toEqual([]);
    for (const devOnly of ['node-nlp', 'cli-progress', 'wechaty-puppet-mock'])
      expect(pkg.devDependencies).toHaveProperty(devOnly);
  });
});
