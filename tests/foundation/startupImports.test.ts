import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/process.js';

/**
 * What the service loads when it starts: the modules server/main.ts reaches through static imports
 * (`import type` is erased and `await import()` waits until it is used). Packages that are large and
 * needed only by an optional part are loaded by that part, so a service without it does not hold them.
 */
const SPECIFIER =
  /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function resolveLocal(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package reached from `entry` through static imports, with one path that reaches it. */
function staticPackages(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, trail: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...trail, path.relative(repoRoot, file)];
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const specifier = m[1] ?? m[2];
      if (specifier.startsWith('.')) {
        const local = resolveLocal(file, specifier);
        if (local) walk(local, here);
      } else if (!specifier.startsWith('node:')) {
        const name = packageName(specifier);
        if (!packages.has(name)) packages.set(name, here);
      }
    }
  };
  walk(entry, []);
  return packages;
}

describe('modules loaded at start', () => {
  const packages = staticPackages(path.join(repoRoot, 'server/main.ts'));

  it('finds the packages the service does load at start (the walk itself works)', () => {
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['koa', 'zod', 'pg', 'pg-boss']));
  });

  it.each(['wechaty', '@electric-sql/pglite'])('does not load %s until the part that needs it starts', (name) => {
    expect(packages.get(name), `reached through ${packages.get(name)?.join(' → ')}`).toBeUndefined();
  });
});
