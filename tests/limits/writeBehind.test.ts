import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db.js';
import type { Database } from '../../server/db/client.js';
import { SharedLimiter } from '../../server/limits/counters.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const storedHits = async (bucket: string, key: string) => {
  const result = await database.db.execute(
    sql`select hits from limit_counters where bucket = ${bucket} and key = ${key}`,
  );
  return Number((result as unknown as { rows: Array<{ hits: number }> }).rows[0]?.hits ?? 0);
};

describe('SharedLimiter with write-behind', () => {
  it('refuses exactly the hit past the limit, and stores every hit', async () => {
    const limiter = new SharedLimiter(database.db, 'wb-exact', 10, 60, { writeBehind: true });
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) waits.push(await limiter.take('198.51.100.7'));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits[10]).toBeGreaterThan(0);
    expect(waits[11]).toBeGreaterThan(0);
    expect(await storedHits('wb-exact', '198.51.100.7')).toBe(12);
  });

  it('allows a burst of concurrent hits inside the limit and stores every one', async () => {
    const limiter = new SharedLimiter(database.db, 'wb-burst', 1000, 60, { writeBehind: true });
    await limiter.take('198.51.100.8');
    const waits = await Promise.all(Array.from({ length: 100 }, () => limiter.take('198.51.100.8')));
    expect(waits.every((w) => w === 0)).toBe(true);
    // The burst's last flush may still be on its way: one more exact hit (from half the limit on) waits for it.
    const heavy = new SharedLimiter(database.db, 'wb-burst', 1000, 60);
    await heavy.take('198.51.100.8');
    await expect.poll(() => storedHits('wb-burst', '198.51.100.8'), { timeout: 10_000 }).toBe(102);
  });

  it('counts another instance’s hits: two limiters on one database share the limit', async () => {
    const a = new SharedLimiter(database.db, 'wb-shared', 6, 60, { writeBehind: true });
    const b = new SharedLimiter(database.db, 'wb-shared', 6, 60, { writeBehind: true });
    for (let i = 0; i < 3; i++) expect(await a.take('198.51.100.9')).toBe(0);
    // From half the limit on, b asks the database, which has a's hits once a's flush is written.
    await expect.poll(() => storedHits('wb-shared', '198.51.100.9'), { timeout: 10_000 }).toBe(3);
    const fromB = [];
    for (let i = 0; i < 4; i++) fromB.push(await b.take('198.51.100.9'));
    expect(fromB.slice(0, 3)).toEqual([0, 0, 0]);
    expect(fromB[3]).toBeGreaterThan(0);
  });
});

describe('SharedLimiter with a delayed write-behind (the embedded database)', () => {
  it('writes the hits inside half the limit later, in one upsert', async () => {
    const limiter = new SharedLimiter(database.db, 'wb-delayed', 100, 60, { writeBehind: true, flushDelayMs: 50 });
    for (let i = 0; i < 5; i++) expect(await limiter.take('198.51.100.10')).toBe(0);
    await expect.poll(() => storedHits('wb-delayed', '198.51.100.10'), { timeout: 10_000 }).toBe(5);
  });

  it('writes nothing before its delay, and a hit from half the limit on takes what is owed at once', async () => {
    const limiter = new SharedLimiter(database.db, 'wb-owed', 10, 60, { writeBehind: true, flushDelayMs: 3_600_000 });
    // The first hit asks the database (nothing known yet); the next four stay inside half the limit.
    for (let i = 0; i < 5; i++) expect(await limiter.take('198.51.100.11')).toBe(0);
    expect(await storedHits('wb-owed', '198.51.100.11')).toBe(1);
    // The sixth passes half the limit: it writes the four owed with itself, not waiting an hour for the flush.
    expect(await limiter.take('198.51.100.11')).toBe(0);
    expect(await storedHits('wb-owed', '198.51.100.11')).toBe(6);
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await limiter.take('198.51.100.11'));
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits[4]).toBeGreaterThan(0);
  });
});
