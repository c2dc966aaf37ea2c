import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/**
 * Counters kept in PostgreSQL (limit_counters), so a limit holds whichever instance answers.
 * Each operation is one upsert: two instances racing on the same key serialise on its row.
 */

type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] => (result as { rows: Row[] }).rows;

/** How often a write also sweeps rows nobody touched for a day (old windows and lockouts). */
const SWEEP_EVERY = 500;
let writes = 0;

async function sweepNow(db: Db): Promise<void> {
  await db.execute(sql`delete from limit_counters where updated_at < now() - interval '1 day'`);
}

async function maybeSweep(db: Db): Promise<void> {
  if (++writes % SWEEP_EVERY === 0) await sweepNow(db);
}

/** A fixed-window counter per key: at most `limit` hits per `windowSeconds`. */
export class SharedLimiter {
  constructor(
    private readonly db: Db,
    readonly bucket: string,
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  /** Counts the hit; 0 when it stays inside the limit, else the seconds until the window ends. */
  async take(key: string): Promise<number> {
    const w = this.windowSeconds;
    const rows = rowsOf(
      await this.db.execute(sql`
        insert into limit_counters as c (bucket, key, hits, window_start, updated_at)
        values (${this.bucket}, ${key}, 1, now(), now())
        on conflict (bucket, key) do update set
          hits = case when c.window_start <= now() - make_interval(secs => ${w}) then 1 else c.hits + 1 end,
          window_start = case when c.window_start <= now() - make_interval(secs => ${w}) then now() else c.window_start end,
          updated_at = now()
        returning hits, ceil(extract(epoch from (window_start + make_interval(secs => ${w}) - now())))::int as wait`),
    );
    await maybeSweep(this.db);
    const { hits, wait } = rows[0] as { hits: number; wait: number };
    return Number(hits) > this.limit ? Math.max(1, Number(wait)) : 0;
  }
}

/**
 * Failures with a growing back-off: after `threshold` failures the key is blocked for `baseSeconds`,
 * and each further failure after the block doubles it (up to a day). A quiet day forgets the count.
 */
export class BackoffCounter {
  constructor(
    private readonly db: Db,
    readonly bucket: string,
    readonly threshold: number,
    readonly baseSeconds: number,
    readonly maxSeconds = 24 * 3600,
  ) {}

  /** Seconds the key is still blocked, or 0. */
  async blockedFor(key: string): Promise<number> {
    const rows = rowsOf(
      await this.db.execute(sql`
        select ceil(extract(epoch from (blocked_until - now())))::int as wait
        from limit_counters where bucket = ${this.bucket} and key = ${key} and blocked_until > now()`),
    );
    return rows.length ? Math.max(1, Number(rows[0].wait)) : 0;
  }

  /** Counts a failure; returns the seconds the key is now blocked for (0 below the threshold). */
  async fail(key: string): Promise<number> {
    const { threshold, baseSeconds, maxSeconds } = this;
    const rows = rowsOf(
      await this.db.execute(sql`
        insert into limit_counters as c (bucket, key, hits, window_start, blocked_until, updated_at)
        values (${this.bucket}, ${key}, 1, now(),
          case when 1 >= ${threshold}::int then now() + make_interval(secs => ${baseSeconds}) end, now())
        on conflict (bucket, key) do update set
          hits = case when c.updated_at < now() - interval '1 day' then 1 else c.hits + 1 end,
          window_start = case when c.updated_at < now() - interval '1 day' then now() else c.window_start end,
          blocked_until = case
            when (case when c.updated_at < now() - interval '1 day' then 1 else c.hits + 1 end) >= ${threshold}::int
            then now() + make_interval(secs => least(${maxSeconds}::float8,
              ${baseSeconds}::float8 * power(2, least(30,
                (case when c.updated_at < now() - interval '1 day' then 1 else c.hits + 1 end) - ${threshold}::int))))
            else c.blocked_until end,
          updated_at = now()
        returning ceil(extract(epoch from (coalesce(blocked_until, now()) - now())))::int as wait`),
    );
    await maybeSweep(this.db);
    return Math.max(0, Number(rows[0].wait));
  }

  async clear(key: string): Promise<void> {
    await this.db.execute(sql`delete from limit_counters where bucket = ${this.bucket} and key = ${key}`);
  }

  /** Clears every key that starts with `prefix` (an account's lockouts from all addresses). */
  async clearPrefix(prefix: string): Promise<number> {
    const rows = rowsOf(
      await this.db.execute(sql`
        delete from limit_counters
        where bucket = ${this.bucket} and left(key, length(${prefix})) = ${prefix} returning key`),
    );
    return rows.length;
  }
}

export { sweepNow as sweepLimitCounters };
