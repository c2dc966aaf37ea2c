import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { migrationsFolder, openDatabase } from '../db/client.js';
import { chmodTree, PGLITE_CONF } from '../db/pgliteInit.js';
import { startJobs } from '../jobs/boss.js';
import { loadConfig } from '../config.js';
import { demoAreas, demoDepartments, demoRules } from './demoCity.js';
import { demoGazetteer } from './demoGazetteer.js';
import { seedDemoCity } from './seed.js';

/**
 * A new PGlite data folder costs ~3 s of initdb (a second PostgreSQL inside PGlite), then the
 * migrations, the demo city and pg-boss's schema and queues. All of that is the same for every
 * installation, so `npm run build` makes it once (dist/pglite-template) and a first start copies it.
 * Accounts (their passwords), sessions and the secrets in DATA_DIR/secrets.json are made by each
 * installation itself, never here. The template is used only when its key — the migrations, the demo
 * city's data and the versions of the packages that write the folder — is the code's own.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the build leaves it: dist/pglite-template, found from dist/server/seed/ and from server/seed/ alike. */
export const templateFolders = [
  path.resolve(here, '../../pglite-template'),
  path.resolve(here, '../../dist/pglite-template'),
];

const MANIFEST = 'template.json';

function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve(name));
  while (dir !== path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? '';
    }
    dir = path.dirname(dir);
  }
  return '';
}

function filesOf(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(folder, path.join(e.parentPath, e.name)))
    .sort();
}

/** What the template was made from: a different key means a different folder, and the template is not used. */
export function templateKey(): string {
  const hash = createHash('sha256');
  for (const name of ['@electric-sql/pglite', 'drizzle-orm', 'pg-boss'])
    hash.update(`${name}@${packageVersion(name)}\n`);
  hash.update(JSON.stringify(PGLITE_CONF));
  for (const file of filesOf(migrationsFolder)) {
    hash.update(`\n${file}\n`);
    hash.update(readFileSync(path.join(migrationsFolder, file)));
  }
  hash.update(JSON.stringify([demoAreas(), demoDepartments, demoRules, demoGazetteer()]));
  return hash.digest('hex');
}

/**
 * The first template folder whose key is the code's, or null (none built, or built from other code, or
 * unreadable: a first start then creates its folder itself, as before there were templates).
 */
export function findTemplate(folders: string[] = templateFolders): string | null {
  let key: string | undefined;
  for (const folder of folders) {
    const manifest = path.join(folder, MANIFEST);
    if (!existsSync(manifest) || !existsSync(path.join(folder, 'pgdata', 'PG_VERSION'))) continue;
    try {
      key ??= templateKey();
      if ((JSON.parse(readFileSync(manifest, 'utf8')) as { key?: string }).key === key)
        return path.join(folder, 'pgdata');
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Makes the template in `out` (replacing what is there): a new folder through the usual initdb and
 * migrations, the demo city without accounts, pg-boss's schema and queues with the default policies.
 */
export async function buildTemplate(out: string): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cg-template-'));
  try {
    const pgdata = path.join(scratch, 'pgdata');
    const database = await openDatabase({ dataDir: pgdata });
    try {
      await seedDemoCity(database.db);
      // Only the queue policies are read from it; its secrets file is written to the scratch folder and dropped.
      const config = loadConfig({ DATA_DIR: path.join(scratch, 'config') });
      const jobs = await startJobs(database, pino({ level: 'warn' }), config);
      await jobs.stop();
      await database.executor.executeSql('checkpoint');
    } finally {
      await database.close();
    }
    rmSync(path.join(pgdata, 'postmaster.pid'), { force: true });
    writeFileSync(path.join(scratch, MANIFEST), JSON.stringify({ key: templateKey() }, null, 2));
    rmSync(path.join(scratch, 'config'), { recursive: true, force: true });
    // Readable by all: the service may run as another user than the build (the Docker image does).
    chmodTree(scratch, 0o755, 0o644);
    rmSync(out, { recursive: true, force: true });
    cpSync(scratch, out, { recursive: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
