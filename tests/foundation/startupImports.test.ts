import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagesReachedFrom } from '../helpers/imports.js';
import { repoRoot } from '../helpers/process.js';

/**
 * What the service loads when it starts: the packages server/serve.ts (what main.ts runs) reaches through static imports
 * (`import type` is erased, an `import()` waits until it runs). Large packages that only one part
 * needs are loaded by that part: Wechaty when a bot puppet is named, PGlite when the embedded
 * database is opened (never on PostgreSQL), jieba when a text is first cut into words,
 * sharp with the first photo.
 */
describe('modules loaded at start', () => {
  const packages = packagesReachedFrom(path.join(repoRoot, 'server/serve.ts'), { dynamic: false });

  it('finds the packages the service does load at start (the walk itself works)', () => {
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['koa', 'zod', 'pg', 'pg-boss']));
  });

  it.each(['wechaty', '@electric-sql/pglite', '@node-rs/jieba', 'sharp'])(
    'does not load %s until the part that needs it starts',
    (name) => {
      expect(packages.get(name), `reached through ${packages.get(name)?.join(' → ')}`).toBeUndefined();
    },
  );

  it('still reaches them through the import() of the part that needs them', () => {
    const all = packagesReachedFrom(path.join(repoRoot, 'server/main.ts'), { dynamic: true });
    expect([...all.keys()]).toEqual(
      expect.arrayContaining(['wechaty', '@electric-sql/pglite', '@node-rs/jieba', 'sharp']),
    );
  });
});
