import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { repoRoot } from './process.js';

/** Specifiers the file loads at run time: imports and re-exports (not `import type`), and with `dynamic` `import()`s and `require()`s. */
function runtimeSpecifiers(source: string, dynamic: boolean): string[] {
  const found: string[] = [];
  const statics = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  const dynamics = /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(statics)) found.push(m[1]);
  if (dynamic) for (const m of source.matchAll(dynamics)) found.push(m[1]);
  return found;
}

const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

/**
 * Every package reached from `entry` following our own modules, each with one chain of files that
 * reaches it. `dynamic: false` follows only what loads with the module (what a start pays for).
 */
export function packagesReachedFrom(entry: string, { dynamic }: { dynamic: boolean }): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const queue: Array<[string, string[]]> = [[entry, []]];
  while (queue.length) {
    const [file, trail] = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const here = [...trail, path.relative(repoRoot, file)];
    for (const spec of runtimeSpecifiers(readFileSync(file, 'utf8'), dynamic)) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
        if (existsSync(target)) queue.push([target, here]);
        else if (!existsSync(path.resolve(path.dirname(file), spec))) throw new Error(`${file}: ${spec} not found`);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec) && !packages.has(packageOf(spec)))
        packages.set(packageOf(spec), here);
    }
  }
  return packages;
}
