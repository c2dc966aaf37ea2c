import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { createTestDatabase, backend } from '../helpers/db.js';
import { migrationsFolder, openDatabase, type Database } from '../../server/db/client.js';
import { initialiseDataDir } from '../../server/db/pgliteInit.js';
import { seedCategories, seedDemo } from '../../server/seed/seed.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe(`migrations on ${backend}`, () => {
  it('creates every table of the schema', async () => {
    const { rows } = await database.executor.executeSql(
      `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = rows.map((r) => r.table_name);
    for (const t of [
      'citizens',
      'reports',
      'departments',
      'categories',
      'areas',
      'routing_rules',
      'cases',
      'case_events',
      'staff_users',
    ]) {
      expect(names).toContain(t);
    }
  });

  it('records every committed migration file as applied', async () => {
    const files = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql'));
    const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
    expect(journal.entries).toHaveLength(files.length);
    const { rows } = await database.executor.executeSql(`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(rows[0].n).toBe(files.length);
  });

  it('seeds the demo city once and re-seeding keeps data', async () => {
    const first = await seedDemo(database.db);
    expect(first.seeded).toBe(true);
    expect(first.accounts.map((a) => a.role).sort()).toEqual([
      'admin',
      'agent',
      'department',
      'department',
      'supervisor',
    ]);
    expect(new Set(first.accounts.map((a) => a.password)).size).toBe(first.accounts.length);
    const again = await seedDemo(database.db);
    expect(again.seeded).toBe(false);
    const { rows } = await database.executor.executeSql(
      `select level, count(*)::int as n from areas group by level order by level`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.level, r.n]))).toEqual({
      community: 9,
      district: 1,
      grid: 36,
      street: 3,
    });
  });
});

describe(`category tables at start on ${backend}`, () => {
  it('rewrites only the rows that differ from the tables (a restart writes nothing)', async () => {
    await seedCategories(database.db);
    const versions = async () =>
      (await database.executor.executeSql(`select code, name, xmin::text as v from categories order by city, code`))
        .rows;
    const before = await versions();
    const changed = before[0];
    await database.executor.executeSql(`update categories set name = 'x' where code = $1`, [changed.code]);
    await seedCategories(database.db);
    const after = await versions();
    expect(after.find((r) => r.code === changed.code)!.name).toBe(changed.name);
    const others = (rows: Record<string, unknown>[]) => rows.filter((r) => r.code !== changed.code);
    expect(others(after)).toEqual(others(before));
  });
});

describe('PGlite data folder', () => {
  it('keeps data across a restart on the same folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-pglite-'));
    const a = await openDatabase({ dataDir: dir });
    await seedDemo(a.db, { admin: 'x' });
    await a.close();
    const b = await openDatabase({ dataDir: dir });
    const { rows } = await b.executor.executeSql(`select username from staff_users order by username`);
    expect(rows.map((r) => r.username)).toContain('admin');
    expect((await seedDemo(b.db)).seeded).toBe(false);
    await b.close();
  });

  it('creates and migrates a new folder in a child process, and leaves a folder that has a cluster alone', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cg-pglite-')), 'pgdata');
    await initialiseDataDir(dir, migrationsFolder);
    expect(readdirSync(dir)).toContain('PG_VERSION');
    const before = readFileSync(path.join(dir, 'PG_VERSION'), 'utf8');
    await initialiseDataDir(dir, migrationsFolder);
    const db = await openDatabase({ dataDir: dir });
    const { rows } = await db.executor.executeSql(`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
    expect(rows[0].n).toBe(journal.entries.length);
    await db.close();
    expect(readFileSync(path.join(dir, 'PG_VERSION'), 'utf8')).toBe(before);
  });
});
