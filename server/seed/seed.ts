import { count, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { areas, categories, departments, gazetteerEntries, routingRules, staffUsers } from '../db/schema.js';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { demoAreas, demoDepartments, demoRules, demoStaff } from './demoCity.js';
import { cityTables } from './categories.js';
import { demoGazetteer } from './demoGazetteer.js';

export interface SeedResult {
  seeded: boolean;
  accounts: Array<{ username: string; role: string; password: string }>;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(staffUsers);
  return n === 0;
}

/**
 * Category tables are data files; every start keeps the database in step with
 * them, in one statement per city so a start does not pay a commit per row.
 */
export async function seedCategories(db: Db): Promise<void> {
  for (const table of cityTables()) {
    const rows = table.categories.map((c) => ({
      city: table.city,
      code: c.code,
      kind: c.kind,
      level: c.level,
      name: c.name,
      parentCode: c.parent ?? null,
      synonyms: c.synonyms ?? [],
      agency: c.agency ?? null,
    }));
    if (!rows.length) continue;
    await db
      .insert(categories)
      .values(rows)
      .onConflictDoUpdate({
        target: [categories.city, categories.code],
        set: {
          kind: sql`excluded.kind`,
          level: sql`excluded.level`,
          name: sql`excluded.name`,
          parentCode: sql`excluded.parent_code`,
          synonyms: sql`excluded.synonyms`,
          agency: sql`excluded.agency`,
        },
        // A restart with the same tables writes nothing (no new row versions, no WAL).
        setWhere: sql`(${categories.kind}, ${categories.level}, ${categories.name}, ${categories.parentCode}, ${categories.synonyms}, ${categories.agency})
          is distinct from (excluded.kind, excluded.level, excluded.name, excluded.parent_code, excluded.synonyms, excluded.agency)`,
      });
  }
}

/**
 * The demo city without its accounts (areas, departments, routing rules, gazetteer), while it has no
 * departments yet: what every installation starts from, so it can be made once ahead of time
 * (seed/pgliteTemplate.ts). Nothing here is particular to one installation.
 */
export async function seedDemoCity(db: Db): Promise<void> {
  await seedCategories(db);
  await db.transaction((tx) => insertCity(tx));
  await seedDemoGazetteer(db);
}

async function insertCity(tx: Tx): Promise<void> {
  const [{ n }] = await tx.select({ n: count() }).from(departments);
  if (n > 0) return;
  const areaIds = new Map<string, number>();
  for (const a of demoAreas()) {
    const [row] = await tx
      .insert(areas)
      .values({
        code: a.code,
        name: a.name,
        level: a.level,
        parentId: a.parentCode ? areaIds.get(a.parentCode)! : null,
        geometry: a.geometry,
        aliases: a.aliases,
      })
      .returning({ id: areas.id });
    areaIds.set(a.code, row.id);
  }
  const deptIds = new Map<string, number>();
  for (const d of demoDepartments) {
    const [row] = await tx
      .insert(departments)
      .values({ code: d.code, name: d.name, agency: d.agency ?? null })
      .returning({ id: departments.id });
    deptIds.set(d.code, row.id);
  }
  for (const r of demoRules) {
    await tx.insert(routingRules).values({
      categoryCode: r.category,
      areaId: r.area ? areaIds.get(r.area)! : null,
      departmentId: deptIds.get(r.department)!,
      deadlineHours: r.hours,
      deadlineType: r.type,
      priority: r.priority,
    });
  }
}

/**
 * The demo city, on an empty database only (its accounts while there are none; the city too unless
 * a template brought it). Passwords are generated here and returned once for printing; pass
 * `passwords` to fix them (tests).
 */
export async function seedDemo(db: Db, passwords: Record<string, string> = {}): Promise<SeedResult> {
  await seedCategories(db);
  if (!(await isEmpty(db))) {
    await seedDemoGazetteer(db);
    return { seeded: false, accounts: [] };
  }
  const staff = demoStaff.map((s) => ({ ...s, password: passwords[s.username] ?? generatePassword() }));
  // Hashed side by side: each hash is a deliberate ~50 ms of work on libuv's threads.
  const hashes = await Promise.all(staff.map((s) => hashPassword(s.password)));
  const result = await db.transaction(async (tx) => {
    await insertCity(tx);
    const deptIds = new Map(
      (await tx.select({ id: departments.id, code: departments.code }).from(departments)).map((d) => [d.code, d.id]),
    );
    const accounts: SeedResult['accounts'] = [];
    for (const [i, s] of staff.entries()) {
      const departmentId = s.department ? deptIds.get(s.department) : null;
      if (departmentId === undefined) throw new Error(`demo department ${s.department} is missing`);
      await tx.insert(staffUsers).values({
        username: s.username,
        displayName: s.displayName,
        role: s.role,
        departmentId,
        extension: 'extension' in s ? s.extension : null,
        passwordHash: hashes[i],
      });
      accounts.push({ username: s.username, role: s.role, password: s.password });
    }
    return { seeded: true, accounts };
  });
  await seedDemoGazetteer(db);
  return result;
}

/**
 * The demo city's gazetteer, while the demo city is the one loaded and no gazetteer was imported:
 * so a database seeded before the gazetteer existed gets it on its next start.
 */
export async function seedDemoGazetteer(db: Db): Promise<void> {
  const [{ n }] = await db.select({ n: count() }).from(gazetteerEntries);
  if (n > 0) return;
  const [demo] = await db.select({ id: areas.id }).from(areas).where(eq(areas.code, 'D01'));
  if (!demo) return;
  await db.insert(gazetteerEntries).values(demoGazetteer().map((e) => ({ ...e, source: 'demo' })));
}
