import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import pino from 'pino';
import { backend, createTestDatabase } from '../helpers/db.js';
import { until } from '../helpers/wait.js';
import { departments } from '../../server/db/schema.js';
import { startJobs } from '../../server/jobs/boss.js';
import { HeldWrites } from '../../server/db/heldWrites.js';
import type { NotifyJob } from '../../server/notifications/send.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

/** A case-opened job's payload, told apart by its report id. */
const opened = (marker: string) => ({ caseId: randomUUID(), reportId: marker, duplicate: false });

/** A notification job's payload, told apart by its dedupe key (the test's own worker takes it). */
const notice = (marker: string): NotifyJob => ({
  kind: 'registered',
  caseId: randomUUID(),
  citizenId: randomUUID(),
  dedupeKey: marker,
});

async function jobsFor(marker: string): Promise<number> {
  const { rows } = await t.services.database.executor.executeSql(
    `select count(*)::int as n from pgboss.job where name = 'case-opened' and data->>'reportId' = $1`,
    [marker],
  );
  return Number(rows[0].n);
}

describe(`transactional enqueue on ${backend}`, () => {
  it('a committed change has its job', async () => {
    const { db } = t.services.database;
    await db.transaction(async (tx) => {
      await tx.insert(departments).values({ code: 'TX-COMMIT', name: '提交测试' });
      await t.services.jobs!.enqueue(tx, 'case-opened', opened('commit'));
    });
    expect(await db.select().from(departments).where(eq(departments.code, 'TX-COMMIT'))).toHaveLength(1);
    expect(await jobsFor('commit')).toBe(1);
  });

  it('a rolled-back change has no job', async () => {
    const { db } = t.services.database;
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(departments).values({ code: 'TX-ROLLBACK', name: '回滚测试' });
        await t.services.jobs!.enqueue(tx, 'case-opened', opened('rollback'));
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
    const job = notice('worker');
    await t.services.database.db.transaction(async (tx) => {
      await t.services.jobs!.enqueue(tx, 'notify-citizen', job);
    });
    await until(() => seen.length > 0, 15_000, 'the worker to receive the job');
    expect(seen).toEqual([job]);
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
    const jobs = await startJobs(slowCompletion, pino({ level: 'silent' }), t.config);
    let finished = false;
    const started = new Promise<void>((resolve) =>
      jobs.work('notify-citizen', async () => {
        resolve();
        await new Promise((r) => setTimeout(r, 300));
        finished = true;
      }),
    );
    await jobs.enqueue(database.db, 'notify-citizen', notice('stop'));
    await started;
    await jobs.stop();
    expect(finished).toBe(true);
    const { rows } = await database.executor.executeSql(
      `select state from pgboss.job where name = 'notify-citizen' and data->>'dedupeKey' = 'stop'`,
    );
    await database.close();
    expect(rows.map((r) => r.state)).toEqual(['completed']);
  });
});

describe(`a backlog on ${backend}`, () => {
  it('drains job after job, not one job per polling interval', async () => {
    const database = await createTestDatabase();
    // A minute between polls: were the worker to wait it out after each job, the second would not come within the test's time.
    const jobs = await startJobs(database, pino({ level: 'silent' }), { ...t.config, JOB_POLL_SECONDS: 60 });
    const markers = ['b1', 'b2', 'b3', 'b4', 'b5'];
    for (const m of markers) await jobs.enqueue(database.db, 'notify-citizen', notice(m));
    const seen: string[] = [];
    await jobs.work('notify-citizen', async (data) => {
      seen.push(data.dedupeKey);
    });
    try {
      await until(() => seen.length === markers.length, 20_000, 'every queued job to be handled');
      expect([...seen].sort()).toEqual(markers);
    } finally {
      await jobs.stop();
      await database.close();
    }
  });
});

describe(`a job sent wakes its queue's workers on ${backend}`, () => {
  it('starts at its commit, not at the next poll', async () => {
    const base = await createTestDatabase();
    // pg-boss's fetch is the one statement of its worker that locks rows it skips (SKIP LOCKED): counted when done.
    let fetches = 0;
    const database = {
      ...base,
      executor: {
        async executeSql(text: string, values?: unknown[]) {
          const result = await base.executor.executeSql(text, values);
          if (/skip locked/i.test(text)) fetches++;
          return result;
        },
      },
    };
    // A minute between polls: only the wake-up can start these jobs within the test's time.
    const jobs = await startJobs(database, pino({ level: 'silent' }), { ...t.config, JOB_POLL_SECONDS: 60 });
    const seen: string[] = [];
    await jobs.work('notify-citizen', async (data) => {
      seen.push(data.dedupeKey);
    });
    try {
      await until(() => fetches >= 1, 10_000, "the worker's first look, at an empty queue");
      await database.db.transaction((tx) => jobs.enqueue(tx, 'notify-citizen', notice('sent')));
      await until(() => seen.includes('sent'), 20_000, 'the enqueued job to run');

      const held = new HeldWrites();
      jobs.hold(held, 'notify-citizen', notice('held'));
      await database.db.transaction((tx) => held.send(tx));
      await until(() => seen.includes('held'), 20_000, 'the held job to run');

      // Due now, as a survey's first attempt is: announced too.
      await database.db.transaction((tx) =>
        jobs.enqueue(tx, 'notify-citizen', notice('due'), { startAfter: new Date() }),
      );
      await until(() => seen.includes('due'), 20_000, 'the job due now to run');
      expect(seen).toEqual(['sent', 'held', 'due']);
    } finally {
      await jobs.stop();
      await base.close();
    }
  });
});

describe(`a batch of jobs on ${backend}`, () => {
  const stateOf = async (database: Awaited<ReturnType<typeof createTestDatabase>>, marker: string) => {
    const { rows } = await database.executor.executeSql(
      `select state from pgboss.job where name = 'notify-citizen' and data->>'dedupeKey' = $1`,
      [marker],
    );
    return rows.map((r) => r.state as string);
  };

  it('fails only the job that threw; the others of its batch complete', async () => {
    const database = await createTestDatabase();
    const jobs = await startJobs(database, pino({ level: 'silent' }), t.config);
    for (const m of ['ok1', 'bad', 'ok2']) await jobs.enqueue(database.db, 'notify-citizen', notice(m));
    const ran: string[] = [];
    await jobs.work('notify-citizen', async (data) => {
      ran.push(data.dedupeKey);
      if (data.dedupeKey === 'bad') throw new Error('the SMS gateway said no');
    });
    try {
      await until(() => ran.length >= 3, 20_000, 'the three jobs to run');
      await until(async () => (await stateOf(database, 'ok2'))[0] === 'completed', 10_000, 'the batch to complete');
      expect(await stateOf(database, 'ok1')).toEqual(['completed']);
      expect(await stateOf(database, 'bad')).toEqual(['retry']);
      const { rows } = await database.executor.executeSql(
        `select output->>'message' as message from pgboss.job where data->>'dedupeKey' = 'bad'`,
      );
      expect(rows[0].message).toBe('the SMS gateway said no');
    } finally {
      await jobs.stop();
      await database.close();
    }
  });

  it('on stop, hands the jobs of its batch not yet started back to the queue instead of completing them', async () => {
    const database = await createTestDatabase();
    const jobs = await startJobs(database, pino({ level: 'silent' }), t.config);
    for (const m of ['first', 'second', 'third']) await jobs.enqueue(database.db, 'notify-citizen', notice(m));
    const ran: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((resolve) =>
      jobs.work('notify-citizen', async (data) => {
        ran.push(data.dedupeKey);
        resolve();
        await held;
      }),
    );
    await started;
    const stopped = jobs.stop();
    release();
    await stopped;
    try {
      expect(ran).toHaveLength(1);
      const states = await Promise.all(['first', 'second', 'third'].map((m) => stateOf(database, m)));
      expect(states.flat().sort()).toEqual(['completed', 'retry', 'retry']);
      expect(await stateOf(database, ran[0]!)).toEqual(['completed']);
    } finally {
      await database.close();
    }
  });
});
