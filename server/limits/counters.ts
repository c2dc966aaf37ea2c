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

/** This instance's view of one key: the count the database last returned, and hits not yet written. */
interface LocalCount {
  known: number;
  pending: number;
  windowEndsAt: number;
  flushing: Promise<void> | null;
  /** The flush's upsert while it is on its way (a flush may first wait `flushDelayMs`). */
  writing: Promise<unknown> | null;
}

/** Local views kept at most; past it, those whose window has ended are dropped. */
const MAX_LOCAL_KEYS = 10_000;

/**
 * A fixed-window counter per key: at most `limit` hits per `windowSeconds`.
 *
 * With `writeBehind`, a key well inside its limit (under half of it, by the last count the database
 * returned plus this instance's unwritten hits) is answered at once and its hits are written by one
 * upsert per round trip, whatever the number of requests meanwhile; from half the limit on, every hit
 * waits for its own upsert, as without. Other instances see this one's hits one round trip late, so
 * a limit may be overshot by the hits of that round trip. For reads that are cheap to repeat, where a
 * write per request would cost more than the read it guards.
 *
 * `flushDelayMs` makes each flush wait that long first, so a busy key costs one upsert per delay rather
 * than per round trip; other instances see the hits up to that much later. For the embedded database (one
 * process is its only instance, so there is nobody to see the hits late, and its upserts run on the very
 * thread that answers the reads: one per read there, since a round trip takes no time to wait on) and,
 * shorter, for reads on PostgreSQL. Hits not yet written when the process stops are not counted after a
 * restart.
 */
export class SharedLimiter {
  private readonly local = new Map<string, LocalCount>();

  constructor(
    private readonly db: Db,
    readonly bucket: string,
    readonly limit: number,
    readonly windowSeconds: number,
    private readonly options: { writeBehind?: boolean; flushDelayMs?: number } = {},
  ) {}

  /** Counts the hit; 0 when it stays inside the limit, else the seconds until the window ends. */
  async take(key: string): Promise<number> {
    if (!this.options.writeBehind) {
      const { hits, waitMs } = await this.add(key, 1);
      return hits > this.limit ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
    }
    const mine = this.local.get(key);
    if (mine && Date.now() < mine.windowEndsAt && mine.known + mine.pending + 1 <= this.limit / 2) {
      mine.pending++;
      mine.flushing ??= this.flush(key, mine);
      return 0;
    }
    // Near the limit (or unknown): exact, after what this instance still owes the database (an upsert on its
    // way is awaited; hits a delayed flush has not taken yet are taken here).
    if (mine?.writing) await mine.writing;
    const owed = mine ? mine.pending : 0;
    if (mine) mine.pending = 0;
    const { hits, waitMs } = await this.add(key, owed + 1);
    this.remember(key, hits, waitMs);
    return hits > this.limit ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  private flush(key: string, mine: LocalCount): Promise<void> {
    const delay = this.options.flushDelayMs ?? 0;
    return (async () => {
      while (mine.pending > 0) {
        if (delay > 0) await new Promise((r) => setTimeout(r, delay).unref());
        const n = mine.pending;
        if (n === 0) break;
        mine.pending = 0;
        const write = this.add(key, n);
        // Whoever waits for it only needs it done: its failure is this flush's to swallow.
        mine.writing = write.then(
          () => (mine.writing = null),
          () => (mine.writing = null),
        );
        const { hits, waitMs } = await write;
        mine.known = hits;
        mine.windowEndsAt = Date.now() + waitMs;
      }
    })()
      .catch(() => {
        // A failed write loses these hits from the count: a limit, not a record.
      })
      .finally(() => {
        mine.flushing = null;
      });
  }

  private remember(key: string, hits: number, waitMs: number): void {
    const now = Date.now();
    const mine = this.local.get(key);
    if (mine) {
      mine.known = hits;
      mine.windowEndsAt = now + waitMs;
      return;
    }
    if (this.local.size >= MAX_LOCAL_KEYS) {
      for (const [k, v] of this.local) if (v.windowEndsAt <= now && !v.flushing) this.local.delete(k);
    }
    if (this.local.size < MAX_LOCAL_KEYS)
      this.local.set(key, { known: hits, pending: 0, windowEndsAt: now + waitMs, flushing: null, writing: null });
  }

  /** Adds `n` hits in one upsert; the window's count after them and the time left in it. */
  private async add(key: string, n: number): Promise<{ hits: number; waitMs: number }> {
    const w = this.windowSeconds;
    const rows = rowsOf(
      await this.db.execute(sql`
        insert into limit_counters as c (bucket, key, hits, window_start, updated_at)
        values (${this.bucket}, ${key}, ${n}, now(), now())
        on conflict (bucket, key) do update set
          hits = case when c.window_start <= now() - make_interval(secs => ${w}) then ${n} else c.hits + ${n} end,
          window_start = case when c.window_start <= now() - make_interval(secs => ${w}) then now() else c.window_start end,
          updated_at = now()
        returning hits, greatest(0, floor(1000 * extract(epoch from (window_start + make_interval(secs => ${w}) - now()))))::bigint as wait_ms`),
    );
    await maybeSweep(this.db);
    const { hits, wait_ms } = rows[0] as { hits: number; wait_ms: number | string };
    return { hits: Number(hits), waitMs: Number(wait_ms) };
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
