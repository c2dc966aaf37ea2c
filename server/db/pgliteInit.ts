import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';

/**
 * PGlite's own settings, in this process's memory: 16 MB of shared buffers (PostgreSQL's embedded
 * default is 160 MB) hold a city's working set and leave the process ~70 MB smaller at rest.
 */
export const PGLITE_CONF = ['shared_buffers = 16MB', 'wal_buffers = 1MB', 'temp_buffers = 2MB'];

// Plain JavaScript, run by a bare node (no TypeScript loader); argv: the three modules' URLs, the folder,
// the settings, the migrations folder.
const INITDB = `
const [pgliteUrl, drizzleUrl, migratorUrl, dir, conf, migrationsFolder] = process.argv.slice(1);
const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([import(pgliteUrl), import(drizzleUrl), import(migratorUrl)]);
const client = await PGlite.create(dir, { postgresqlconf: JSON.parse(conf) });
await migrate(drizzle(client), { migrationsFolder });
await client.close();
`;

/**
 * Creates the database cluster in an empty data folder, and applies the migrations to it, in a
 * short-lived child process. PGlite runs
 * initdb through a second PostgreSQL and the initdb module inside the process that asks; the memory
 * they touch stays with that process after they close (a bare PGlite held ~730 MB after creating a
 * folder, ~300 MB after opening one; a worker thread kept part of it in malloc's arenas), and so does
 * the WebAssembly memory that fourteen migrations grow (~60 MB). Nothing to do when the folder
 * already holds a cluster; later migrations run in the service as before.
 */
export async function initialiseDataDir(dir: string, migrationsFolder: string): Promise<void> {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  mkdirSync(dir, { recursive: true });
  const require = createRequire(import.meta.url);
  const urls = ['@electric-sql/pglite', 'drizzle-orm/pglite', 'drizzle-orm/pglite/migrator'].map(
    (name) => pathToFileURL(require.resolve(name)).href,
  );
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', INITDB, ...urls, dir, JSON.stringify(PGLITE_CONF), migrationsFolder],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`PGlite could not initialise ${dir} (exit ${code}): ${stderr.trim()}`)),
    );
  });
}
