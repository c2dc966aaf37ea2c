import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import pino from 'pino';
import { backend, createTestDatabase } from '../helpers/db.js';
import { departments } from '../../server/db/schema.js';
import { startJobs } from '../../server/jobs/boss.js';

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
  return Number(rows[0].n);
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

describe(`stopping the job queue on ${backend}`, () => {
  it('returns only once the job in hand has finished and its completion is written', async () => {
    const database = await createTestDatabase();
    // pg-boss writes a completion without awaiting it; a slow one must still land before stop() returns.
    const slowCompletion = {
      ...database,
      executor: {
        async executeSql(text: string, values?: unknown[]) {
          if (text.includes('SET completed_on = now()')) await new Promise((r) => setTimeout(r, 700));
          return database.executor.executeSql(text, values);
        },
      },
    };
    const jobs = await startJobs(slowCompletion, pino({ level: 'silent' }));
    let finished = false;
    const started = new Promise<void>((resolve) =>
      jobs.work('notify-citizen', async () => {
        resolve();
        await new Promise((r) => setTimeout(r, 300));
        finished = true;
      }),
    );
    await jobs.enqueue(database.db, 'notify-citizen', { marker: 'stop' });
    await started;
    await jobs.stop();
    expect(finished).toBe(true);
    const { rows } = await database.executor.executeSql(
      `select state from pgboss.job where name = 'notify-citizen' and data->>'marker' = 'stop'`,
    );
    await database.close();
    expect(rows.map((r) => r.state)).toEqual(['completed']);
  });
});
