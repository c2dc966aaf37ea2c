import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { migrationsFolder, openDatabase, type Database } from '../../server/db/client.js';
import { initialiseDataDir } from '../../server/db/pgliteInit.js';
import { buildTemplate, findTemplate } from '../../server/seed/pgliteTemplate.js';
import { seedDemo } from '../../server/seed/seed.js';
import { startJobs } from '../../server/jobs/boss.js';
import { loadConfig } from '../../server/config.js';
import { testEnv } from '../helpers/context.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'cg-template-test-'));
const template = path.join(scratch, 'template');

/** Everything a start does to a new folder after it is filled: open (migrations), seed, pg-boss's queues. */
async function startOn(dir: string): Promise<{ database: Database; accounts: string[] }> {
  const database = await openDatabase({ dataDir: dir });
  const seed = await seedDemo(database.db);
  const jobs = await startJobs(database, pino({ level: 'silent' }), loadConfig(testEnv()));
  await jobs.stop();
  return { database, accounts: seed.accounts.map((a) => a.username) };
}

const system = `not in ('pg_catalog', 'information_schema', 'pg_toast')`;

/** The schema as the catalogue describes it: every column, constraint, index, trigger and function outside the system's. */
async function schemaOf(database: Database) {
  const q = async (text: string) => (await database.executor.executeSql(text)).rows;
  return {
    columns: await q(`select table_schema, table_name, column_name, data_type, is_nullable, column_default
      from information_schema.columns where table_schema ${system} order by 1, 2, 3`),
    constraints:
      await q(`select n.nspname, c.conrelid::regclass::text as rel, c.conname, pg_get_constraintdef(c.oid) as def
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname ${system} order by 1, 2, 3`),
    indexes: await q(
      `select schemaname, tablename, indexname, indexdef from pg_indexes where schemaname ${system} order by 1, 2, 3`,
    ),
    triggers: await q(`select tgrelid::regclass::text as rel, tgname, pg_get_triggerdef(oid) as def
      from pg_trigger where not tgisinternal order by 1, 2`),
    functions: await q(`select n.nspname, p.proname, pg_get_functiondef(p.oid) as def
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname ${system} and p.prokind = 'f' order by 1, 2, 3`),
    migrations: await q(`select hash, created_at from drizzle.__drizzle_migrations order by id`),
  };
}

/** The rows every installation starts with, without what differs by when or where they were written. */
async function dataOf(database: Database) {
  const q = async (text: string) => (await database.executor.executeSql(text)).rows;
  return {
    areas: await q(`select id, code, name, level, parent_id, aliases, geometry from areas order by id`),
    departments: await q(`select id, code, name, agency from departments order by id`),
    rules: await q(`select id, category_code, area_id, department_id, deadline_hours, deadline_type, priority
      from routing_rules order by id`),
    gazetteer: await q(`select to_jsonb(g) - 'created_at' - 'updated_at' as row from gazetteer_entries g order by id`),
    categories: await q(
      `select city, code, kind, level, name, parent_code, synonyms, agency from categories order by city, code`,
    ),
    staff: await q(`select username, display_name, role, department_id, extension from staff_users order by username`),
    queues: await q(
      `select name, policy, retry_limit, retry_delay, retry_backoff, dead_letter from pgboss.queue order by name`,
    ),
  };
}

let viaTemplate: Awaited<ReturnType<typeof startOn>>;
let viaInitdb: Awaited<ReturnType<typeof startOn>>;

beforeAll(async () => {
  await buildTemplate(template);
  const a = path.join(scratch, 'a', 'pgdata');
  const b = path.join(scratch, 'b', 'pgdata');
  expect(await initialiseDataDir(a, migrationsFolder, async () => findTemplate([template]))).toBe('template');
  expect(await initialiseDataDir(b, migrationsFolder)).toBe('initdb');
  viaTemplate = await startOn(a);
  viaInitdb = await startOn(b);
}, 240_000);

afterAll(async () => {
  await viaTemplate?.database.close();
  await viaInitdb?.database.close();
});

describe('PGlite template (a first start copies the folder the build made)', () => {
  it('gives the same schema as initdb and the migrations', async () => {
    const [t, i] = [await schemaOf(viaTemplate.database), await schemaOf(viaInitdb.database)];
    expect(t.columns.length).toBeGreaterThan(100);
    expect(t.triggers.length).toBeGreaterThan(0);
    expect(t).toEqual(i);
  });

  it('gives the same demo city and queues, and each installation its own accounts', async () => {
    const [t, i] = [await dataOf(viaTemplate.database), await dataOf(viaInitdb.database)];
    expect(t.areas.length).toBeGreaterThan(0);
    expect(t.gazetteer.length).toBeGreaterThan(0);
    expect(t.queues.length).toBeGreaterThan(0);
    expect(t).toEqual(i);
    expect(viaTemplate.accounts).toEqual(viaInitdb.accounts);
    expect(viaTemplate.accounts).toContain('admin');
  });

  it('holds nothing of one installation: only the demo city and the category tables, and the copy is the service’s alone', async () => {
    const dir = path.join(scratch, 'c', 'pgdata');
    expect(await initialiseDataDir(dir, migrationsFolder, async () => findTemplate([template]))).toBe('template');
    expect(statSync(dir).mode & 0o077).toBe(0);
    const database = await openDatabase({ dataDir: dir });
    try {
      const { rows: tables } = await database.executor.executeSql(
        `select table_schema || '.' || table_name as name from information_schema.tables
         where table_schema in ('public', 'pgboss') and table_type = 'BASE TABLE'`,
      );
      const filled: string[] = [];
      for (const { name } of tables) {
        const { rows } = await database.executor.executeSql(`select exists (select from ${name}) as any`);
        if (rows[0].any) filled.push(String(name));
      }
      expect(filled.sort()).toEqual(
        [
          'public.areas',
          'public.categories',
          'public.departments',
          'public.gazetteer_entries',
          'public.routing_rules',
          'pgboss.queue',
          'pgboss.version',
        ].sort(),
      );
    } finally {
      await database.close();
    }
  });

  it('is not used when it was made from other code (its key differs)', async () => {
    const stale = path.join(scratch, 'stale');
    cpSync(template, stale, { recursive: true });
    writeFileSync(path.join(stale, 'template.json'), JSON.stringify({ key: 'made-by-an-older-build' }));
    expect(findTemplate([stale])).toBeNull();
    expect(findTemplate([stale, template])).toBe(path.join(template, 'pgdata'));
    const dir = path.join(scratch, 'd', 'pgdata');
    expect(await initialiseDataDir(dir, migrationsFolder, async () => findTemplate([stale]))).toBe('initdb');
  }, 120_000);
});
