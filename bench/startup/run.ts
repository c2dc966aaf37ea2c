/**
 * Cold start: from spawning the service to /readyz 200, on an empty PGlite data
 * folder (migrate + seed + jobs), restarts on the same folder, and the same on a
 * fresh PostgreSQL database.
 *   npx tsx bench/startup/run.ts      (PostgreSQL from DATABASE_URL, default the local test server)
 *   npm run build && npx tsx bench/startup/run.ts --compiled   (dist/server/main.js instead of tsx)
 *   --pglite-only skips PostgreSQL; --starts N times each kind of start N times (default 5; each first start on a
 *   folder or database of its own): one start is too noisy on a shared machine to judge a target by, so the
 *   median is printed beside the fastest and the slowest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serverEntry, startServerProcess, stopProcess } from '../../tests/helpers/process.js';

const compiled = process.argv.includes('--compiled');
const startsAt = process.argv.indexOf('--starts');
const starts = startsAt > 0 ? Number(process.argv[startsAt + 1]) : 5;
if (!(Number.isInteger(starts) && starts > 0)) throw new Error('--starts takes a count above 0');
const entry = compiled ? serverEntry.compiled : serverEntry.tsx;

async function timed(env: Record<string, string>) {
  const t0 = performance.now();
  const server = await startServerProcess({ LOG_LEVEL: 'warn', ...env }, 90_000, entry);
  const ms = performance.now() - t0;
  await stopProcess(server);
  return ms;
}

/** `starts` first starts, each on what `fresh` makes, then as many restarts on what the last one made. */
async function startsOf(fresh: () => Promise<Record<string, string>>): Promise<[number[], number[]]> {
  const cold: number[] = [];
  let env: Record<string, string> = {};
  for (let i = 0; i < starts; i++) cold.push(await timed((env = await fresh())));
  const again: number[] = [];
  for (let i = 0; i < starts; i++) again.push(await timed(env));
  return [cold, again];
}

/** Each start's own data folder, removed at the end (a PGlite one holds some 40 MB). */
const folders: string[] = [];
const folder = (prefix: string) => {
  folders.push(mkdtempSync(path.join(tmpdir(), prefix)));
  return folders[folders.length - 1];
};

const rows: Array<[string, number[]]> = [];
const pglite = await startsOf(async () => ({ DATA_DIR: folder('cg-start-') }));
rows.push(['PGlite, empty data folder (migrate + seed)', pglite[0]]);
rows.push(['PGlite, restart on the same folder', pglite[1]]);

if (!process.argv.includes('--pglite-only')) {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const made: string[] = [];
  try {
    const postgres = await startsOf(async () => {
      const name = `start_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      made.push(name);
      const url = new URL(base);
      url.pathname = `/${name}`;
      return { DATABASE_URL: url.toString(), DATA_DIR: folder('cg-start-pg-') };
    });
    rows.push(['PostgreSQL, empty database (migrate + seed)', postgres[0]]);
    rows.push(['PostgreSQL, restart', postgres[1]]);
  } finally {
    for (const name of made) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
for (const made of folders) rmSync(made, { recursive: true, force: true });

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const median = (times: number[]) => [...times].sort((a, b) => a - b)[times.length >> 1];
console.log(
  `\n| start (${compiled ? 'compiled dist/' : 'tsx'}) | to /readyz 200, median (s) | starts | fastest – slowest (s) |\n| --- | ---: | ---: | ---: |`,
);
for (const [what, times] of rows) {
  const range = `${seconds(Math.min(...times))} – ${seconds(Math.max(...times))}`;
  console.log(`| ${what} | ${seconds(median(times))} | ${times.length} | ${times.length > 1 ? range : ''} |`);
}
console.log(
  `\n(includes Node start-up${compiled ? '' : ' and TypeScript loading through tsx'}; the classifier model is cached in nlp/model after the first training)`,
);
