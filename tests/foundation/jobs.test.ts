import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { backend } from '../helpers/db.js';
import { departments } from '../../server/db/schema.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function jobsFor(marker: string): Promise<number> {
  const { rows } = await t.services.database.executor.executeSql(
    `select count(*)::int as n from pgboss.job where name = 'case-opened' and data->>'marker' = $1`,
    [marker],
  );
  return rows[0].n;
}

describe(`transactional enqueue on ${backend}`, () => {
  it('a committed change has its job', async () => {
    const { db } = t.services.database;
    await db.transaction(async (tx) => {
      await tx.insert(departments).values({ code: 'TX-COMMIT', name: '提交测试' });
      await t.services.jobs!.enqueue(tx, 'case-opened', { marker: 'commit' });
    });
    expect(await db.select().from(departments).where(eq(departments.code, 'TX-COMMIT'))).toHaveLength(1);
    expect(await jobsFor('commit')).toBe(1);
  });

  it('a rolled-back change has no job', async () => {
    const { db } = t.services.database;
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(departments).values({ code: 'TX-ROLLBACK', name: '回滚测试' });
        await t.services.jobs!.enqueue(tx, 'case-opened', { marker: 'rollback' });
        throw new Error('business rule failed after enqueue');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await db.select().from(departments).where(eq(departments.code, 'TX-ROLLBACK'))).toHaveLength(0);
    expect(await jobsFor('rollback')).toBe(0);
  });

  it('a worker receives a committed job', async () => {
    const seen: unknown[] = [];
    await t.services.jobs!.work('notify-citizen', async (data) => {
      seen.push(data);
    });
    await t.services.database.db.transaction(async (tx) => {
      await t.services.jobs!.enqueue(tx, 'notify-citizen', { marker: 'worker' });
    });
    const deadline = Date.now() + 15_000;
    while (!seen.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([{ marker: 'worker' }]);
  });
});
