import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';

/**
 * PGlite's own settings, in this process's memory: 16 MB of shared buffers (PostgreSQL's embedded
 * default is 160 MB) hold a city's working set and leave the process ~70 MB smaller at rest.
 */
export const PGLITE_CONF = ['shared_buffers = 16MB', 'wal_buffers = 1MB', 'temp_buffers = 2MB'];

/** V8's flag for WebAssembly compiled by its baseline compiler only: less memory, and initdb ~40 % quicker. */
export const LIFTOFF_ONLY = '--liftoff-only';

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
 * Fills a new data folder: with a copy of `template`'s folder when it gives one (a migrated, seeded
 * folder the build made, whose key matches this code), else by creating the database cluster and
 * applying the migrations in a short-lived child process. PGlite runs
 * initdb through a second PostgreSQL and the initdb module inside the process that asks; the memory
 * they touch stays with that process after they close (a bare PGlite held ~730 MB after creating a
 * folder, ~300 MB after opening one; a worker thread kept part of it in malloc's arenas), and so does
 * the WebAssembly memory that fourteen migrations grow (~60 MB). Nothing to do when the folder
 * already holds a cluster; later migrations run in the service as before.
 */
export async function initialiseDataDir(
  dir: string,
  migrationsFolder: string,
  template?: () => Promise<string | null>,
): Promise<'existing' | 'template' | 'initdb'> {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return 'existing';
  const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
  const folder = fresh && template ? await template() : null;
  if (folder) {
    restoreFolder(folder, dir);
    return 'template';
  }
  mkdirSync(dir, { recursive: true });
  const require = createRequire(import.meta.url);
  const urls = ['@electric-sql/pglite', 'drizzle-orm/pglite', 'drizzle-orm/pglite/migrator'].map(
    (name) => pathToFileURL(require.resolve(name)).href,
  );
  const child = spawn(
    process.execPath,
    [LIFTOFF_ONLY, '--input-type=module', '-e', INITDB, ...urls, dir, JSON.stringify(PGLITE_CONF), migrationsFolder],
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
  return 'initdb';
}

/**
 * Copies a data folder made ahead of time (seed/pgliteTemplate.ts) to `dir`, absent or empty, whole or
 * not at all: a start that stops halfway leaves no folder that looks initialised.
 */
function restoreFolder(template: string, dir: string): void {
  const partial = `${dir}.restoring-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(template, partial, { recursive: true });
  // The template is readable by all (the build's user is not the service's); the copy, which will hold citizens' data, is the service's alone.
  chmodTree(partial, 0o700, 0o600);
  if (existsSync(dir)) rmdirSync(dir);
  renameSync(partial, dir);
}

/** Sets every folder's mode under (and of) `root` to `dirs`, every file's to `files`. */
export function chmodTree(root: string, dirs: number, files: number): void {
  chmodSync(root, dirs);
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true }))
    chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? dirs : files);
}
