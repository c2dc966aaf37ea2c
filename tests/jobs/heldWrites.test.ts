import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { backend } from '../helpers/db.js';
import { until } from '../helpers/wait.js';
import { departments, routingRules } from '../../server/db/schema.js';
import { HeldWrites } from '../../server/db/heldWrites.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function jobsFor(marker: string): Promise<number> {
  const { rows } = await t.services.database.executor.executeSql(
    `select count(*)::int as n from pgboss.job where name = 'case-opened' and data->>'reportId' = $1`,
    [marker],
  );
  return Number(rows[0].n);
}

const opened = (marker: string) => ({ caseId: randomUUID(), reportId: marker, duplicate: false });

describe(`held writes on ${backend}`, () => {
  it('are written by the statement that carries them, and only if the transaction commits', async () => {
    const { db } = t.services.database;
    const jobs = t.services.jobs!;
    await db.transaction(async (tx) => {
      const held = new HeldWrites();
      held.write(tx.insert(departments).values({ code: 'HELD-COMMIT', name: '随后写入' }));
      jobs.hold(held, 'case-opened', opened('held-commit'));
      // Nothing is sent until the held writes ride with a statement.
      expect(await tx.select().from(departments).where(eq(departments.code, 'HELD-COMMIT'))).toHaveLength(0);
      const [row] = await held.send<{ answer: number }>(tx, { statement: sql`select 42 as answer` });
      expect(Number(row.answer)).toBe(42);
    });
    expect(await db.select().from(departments).where(eq(departments.code, 'HELD-COMMIT'))).toHaveLength(1);
    expect(await jobsFor('held-commit')).toBe(1);

    await expect(
      db.transaction(async (tx) => {
        const held = new HeldWrites();
        held.write(tx.insert(departments).values({ code: 'HELD-ROLLBACK', name: '回滚' }));
        jobs.hold(held, 'case-opened', opened('held-rollback'));
        await held.send(tx);
        throw new Error('business rule failed after the held writes were sent');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await db.select().from(departments).where(eq(departments.code, 'HELD-ROLLBACK'))).toHaveLength(0);
    expect(await jobsFor('held-rollback')).toBe(0);
  });

  it('sends their notifications at commit even when the carrying statement returns no row', async () => {
    const heard: string[] = [];
    const stop = await t.services.database.listen('cg_held_test', (p) => heard.push(p));
    try {
      await t.services.database.db.transaction(async (tx) => {
        const held = new HeldWrites();
        held.notify('cg_held_test', 'one');
        held.notify('cg_held_test', 'one');
        const rows = await held.send(tx, { statement: sql`select 1 as x where false` });
        expect(rows).toEqual([]);
      });
      await until(() => heard.length > 0, 20_000, 'the held notification');
      expect(heard).toEqual(['one']);
    } finally {
      await stop();
    }
  });
});

describe(`cached reference tables on ${backend}`, () => {
  it('drop their copy when the table is changed by hand, as another instance or an import would', async () => {
    const { db } = t.services.database;
    const before = await t.services.rules();
    const [dept] = await db.select().from(departments).limit(1);
    // Straight into the table, past the admin API (which drops the copy itself): only the trigger's NOTIFY tells us.
    const [rule] = await db
      .insert(routingRules)
      .values({ city: t.config.CITY, categoryCode: '0000', departmentId: dept.id, deadlineHours: 4 })
      .returning();
    await until(async () => (await t.services.rules()).some((r) => r.id === rule.id), 20_000, 'the new rule');
    expect((await t.services.rules()).length).toBe(before.length + 1);

    await db.update(departments).set({ name: '改名后的部门' }).where(eq(departments.id, dept.id));
    await until(
      async () => (await t.services.departmentNames()).get(dept.id)?.name === '改名后的部门',
      20_000,
      'the renamed department',
    );
  });
});
