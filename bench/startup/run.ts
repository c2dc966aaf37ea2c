/**
 * Cold start: from spawning the service to /readyz 200, on an empty PGlite data
 * folder (migrate + seed + jobs), a second start on the same folder, and on a
 * fresh PostgreSQL database.
 *   npx tsx bench/startup/run.ts      (PostgreSQL from DATABASE_URL, default the local test server)
 *   npm run build && npx tsx bench/startup/run.ts --compiled   (dist/server/main.js instead of tsx)
 *   --pglite-only skips PostgreSQL.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serverEntry, startServerProcess, stopProcess } from '../../tests/helpers/process.js';

const compiled = process.argv.includes('--compiled');
const entry = compiled ? serverEntry.compiled : serverEntry.tsx;

async function timed(env: Record<string, string>) {
  const t0 = performance.now();
  const server = await startServerProcess({ LOG_LEVEL: 'warn', ...env }, 90_000, entry);
  const ms = performance.now() - t0;
  await stopProcess(server);
  return ms;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'cg-start-'));
const rows: Array<[string, number]> = [];
rows.push(['PGlite, empty data folder (migrate + seed)', await timed({ DATA_DIR: dataDir })]);
rows.push(['PGlite, second start on the same folder', await timed({ DATA_DIR: dataDir })]);

if (!process.argv.includes('--pglite-only')) {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `start_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  try {
    const env = { DATABASE_URL: url.toString(), DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-start-pg-')) };
    rows.push(['PostgreSQL, empty database (migrate + seed)', await timed(env)]);
    rows.push(['PostgreSQL, second start', await timed(env)]);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
console.log(`\n| start (${compiled ? 'compiled dist/' : 'tsx'}) | to /readyz 200 (s) |\n| --- | ---: |`);
for (const [what, ms] of rows) console.log(`| ${what} | ${(ms / 1000).toFixed(2)} |`);
console.log(
  `\n(includes Node start-up${compiled ? '' : ' and TypeScript loading through tsx'}; the classifier model is cached in nlp/model after the first training)`,
);
