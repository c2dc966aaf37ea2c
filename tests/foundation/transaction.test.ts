import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase, backend, watchTransactions } from '../helpers/db.js';
import { caseCounters } from '../../server/db/schema.js';
import { FLUSHED_BEHIND, transaction } from '../../server/db/transaction.js';
import { nextCaseNo } from '../../server/cases/caseNumber.js';
import type { Database } from '../../server/db/client.js';

let database: Database & { url?: string };
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const counter = async (day: string) =>
  (await database.db.select().from(caseCounters).where(eq(caseCounters.day, day)))[0]?.last ?? null;
const bump = (day: string, to = 1) => ({
  text: `insert into case_counters (day, last) values ($1, $2)
         on conflict (day) do update set last = case_counters.last + 1 returning last`,
  values: [day, to],
});

describe(`a transaction ended by its last statement on ${backend}`, () => {
  it('returns the statement’s rows and commits what the transaction wrote before it', async () => {
    const result = await transaction(database, async (tx, end) => {
      await tx.insert(caseCounters).values({ day: 'T-BEFORE', last: 7 });
      const rows = await end<{ last: number }>(bump('T-END', 3));
      return rows[0].last;
    });
    expect(result).toBe(3);
    expect(await counter('T-BEFORE')).toBe(7);
    expect(await counter('T-END')).toBe(3);
  });

  it('rolls everything back when the last statement fails, throws its error, and leaves the connection clean', async () => {
    await expect(
      transaction(database, async (tx, end) => {
        await tx.insert(caseCounters).values({ day: 'T-LOST', last: 1 });
        // Over the daily limit (migration 0024's check): the statement fails, its COMMIT rolls back.
        await end(bump('T-OVER', 1_000_000));
      }),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await counter('T-LOST')).toBeNull();
    expect(await counter('T-OVER')).toBeNull();
    // Every connection of the pool is usable: none was left inside the failed transaction.
    for (let i = 0; i < 6; i++) {
      await transaction(database, async (tx) => {
        await tx.insert(caseCounters).values({ day: `T-AFTER-${i}`, last: i + 1 });
      });
    }
    expect(await counter('T-AFTER-5')).toBe(6);
  });

  it('commits work that returns without ending it, and rolls back work that throws', async () => {
    await transaction(database, async (tx) => {
      await tx.insert(caseCounters).values({ day: 'T-RETURN', last: 1 });
    });
    expect(await counter('T-RETURN')).toBe(1);
    await expect(
      transaction(database, async (tx) => {
        await tx.insert(caseCounters).values({ day: 'T-THROW', last: 1 });
        throw new Error('a rule failed');
      }),
    ).rejects.toThrow('a rule failed');
    expect(await counter('T-THROW')).toBeNull();
  });

  it('runs a first statement inside the transaction it opens, whatever sends it, and gives the pool its clients back as they were', async () => {
    // The first statement is the last: BEGIN, it and COMMIT go out together.
    const only = await transaction(database, (_tx, end) => end<{ last: number }>(bump('T-ONLY', 4)));
    expect(only[0].last).toBe(4);
    expect(await counter('T-ONLY')).toBe(4);
    // A first statement that fails leaves nothing behind, and the next transaction on that connection is clean.
    await expect(
      transaction(database, async (tx) => {
        await tx.insert(caseCounters).values({ day: 'T-FIRST-FAILS', last: 1_000_000 });
      }),
    ).rejects.toMatchObject({ cause: { code: '23514' } });
    expect(await counter('T-FIRST-FAILS')).toBeNull();
    // Work that sends nothing still ends its transaction.
    expect(await transaction(database, async () => 'nothing sent')).toBe('nothing sent');
    // A first statement whose rows the work reads, then a rule that fails: both roll back.
    await expect(
      transaction(database, async (tx) => {
        const [row] = await tx.insert(caseCounters).values({ day: 'T-READ', last: 2 }).returning();
        await tx.insert(caseCounters).values({ day: 'T-READ-2', last: row.last + 1 });
        throw new Error(`rule failed at ${row.last}`);
      }),
    ).rejects.toThrow('rule failed at 2');
    expect(await counter('T-READ')).toBeNull();
    expect(await counter('T-READ-2')).toBeNull();
    if (database.kind === 'postgres') {
      const pool = (database.db as unknown as { session: { client: pg.Pool } }).session.client;
      const clients = await Promise.all([pool.connect(), pool.connect()]);
      for (const client of clients) {
        // node-postgres's own query method, one query at a time.
        expect(Object.hasOwn(client, 'query')).toBe(false);
        expect((client as unknown as { pipeline: boolean }).pipeline).toBe(false);
        client.release();
      }
    }
  });

  it('keeps the daily limit of case numbers in the database', async () => {
    await database.db.insert(caseCounters).values({ day: '20261205', last: 999_999 });
    await expect(
      database.db.transaction((tx) => nextCaseNo(tx, new Date('2026-12-05T04:00:00Z'))),
    ).rejects.toMatchObject({ cause: { code: '23514' } });
    expect(await counter('20261205')).toBe(999_999);
  });

  it.runIf(backend === 'postgres')(
    'has committed by the time the statement’s rows reach the work: another session sees the write and the row is free',
    async () => {
      const other = new pg.Client({ connectionString: database.url });
      await other.connect();
      try {
        await transaction(database, async (_tx, end) => {
          await end(bump('T-SEEN', 5));
          // Still inside the work: the COMMIT went out right behind the statement.
          await other.query(`set lock_timeout = '2s'`);
          const { rows } = await other.query(
            `update case_counters set last = last + 1 where day = 'T-SEEN' returning last`,
          );
          expect(rows[0].last).toBe(6);
        });
        await expect(
          transaction(database, async (_tx, end) => {
            await end(bump('T-SEEN'));
            await end(bump('T-SEEN'));
          }),
        ).rejects.toThrow('the transaction has ended');
        expect(await counter('T-SEEN')).toBe(7);
      } finally {
        await other.end();
      }
    },
  );

  it.runIf(backend === 'postgres')(
    'sends the COMMIT before the statement’s answer is read: the server commits while this process is blocked',
    async () => {
      await database.db.insert(caseCounters).values({ day: 'T-PIPE', last: 0 });
      await transaction(database, async (_tx, end) => {
        const ended = end<{ last: number }>(bump('T-PIPE'));
        // This thread is blocked from here to the end of psql: it reads nothing, answers nothing. psql
        // (another process) waits for the row the statement locked, which only the COMMIT frees.
        const psql = spawnSync(
          'psql',
          [
            database.url!,
            '-Atc',
            `set lock_timeout = '10s'; update case_counters set last = last + 10 where day = 'T-PIPE' returning last`,
          ],
          { encoding: 'utf8' },
        );
        expect(psql.stderr).toBe('');
        expect(psql.stdout.trim().split('\n')).toContain('11');
        expect((await ended)[0].last).toBe(1);
      });
      expect(await counter('T-PIPE')).toBe(11);
    },
  );
  it.runIf(backend === 'postgres')(
    'with releaseBeforeFlush, commits without waiting for the flush and answers after a synchronous commit behind it',
    async () => {
      const { sent, answered, restore } = watchTransactions(database);
      try {
        await database.db.insert(caseCounters).values({ day: 'T-FLUSH', last: 0 });
        const rows = await transaction(database, (_tx, end) => end<{ last: number }>(bump('T-FLUSH')), {
          releaseBeforeFlush: true,
        });
        // The answer is given once the transaction behind the COMMIT has committed: its synchronous commit
        // waited for the WAL flushed past both.
        expect(answered.at(-1)).toBe(FLUSHED_BEHIND);
        expect(rows[0].last).toBe(1);
        expect(sent.slice(-3)).toEqual(['set local synchronous_commit to off', 'commit', FLUSHED_BEHIND]);
        expect(await counter('T-FLUSH')).toBe(1);
        // Work that commits by returning does the same; a failing one rolls back and leaves the setting behind.
        await transaction(
          database,
          async (tx) => {
            await tx.update(caseCounters).set({ last: 2 }).where(eq(caseCounters.day, 'T-FLUSH'));
          },
          { releaseBeforeFlush: true },
        );
        expect(sent.slice(-3)).toEqual(['set local synchronous_commit to off', 'commit', FLUSHED_BEHIND]);
        expect(await counter('T-FLUSH')).toBe(2);
        await expect(
          transaction(database, (_tx, end) => end(bump('T-FLUSH', 1_000_000)), { releaseBeforeFlush: true }),
        ).rejects.toMatchObject({ code: '23514' });
        expect(await counter('T-FLUSH')).toBe(2);
        // The setting was the transaction's own: the connection it ran on (the pool's last released) is back to on.
        const setting = await transaction(database, async (tx) => {
          const shown = (await tx.execute(sql`show synchronous_commit`)) as unknown as {
            rows: Array<{ synchronous_commit: string }>;
          };
          return shown.rows[0].synchronous_commit;
        });
        expect(setting).toBe('on');
      } finally {
        restore();
      }
    },
  );
});
