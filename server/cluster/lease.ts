import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';

/**
 * Which instance runs the singletons (the PBX connection and the chat bot).
 *
 * PostgreSQL: a session advisory lock held on a connection of its own. When the holder
 * dies the kernel closes its socket and the server drops the lock at once; when the
 * holder hangs (its socket open, its event loop stuck), the lock connection goes quiet
 * and the server's idle_session_timeout ends that session, dropping the lock. The holder
 * sends a heartbeat well inside that timeout and steps down as soon as one fails or is
 * late, so it has let go before anyone else can take over. A lease row would need the
 * same heartbeat plus clock arithmetic and an expiry longer than any pause, and would
 * still be held for its whole term by a process that died; the lock is released with
 * the session, which is what we want.
 *
 * PGlite is one process by nature: the instance is always the leader.
 */
export interface Leadership {
  readonly instanceId: string;
  readonly isLeader: boolean;
  /** 'leader' | 'follower' | 'stopped' — what /readyz shows. */
  readonly role: 'leader' | 'follower' | 'stopped';
  /** Called with true on taking over, false on stepping down. */
  onChange(listener: (leader: boolean) => void): () => void;
  /** Resolves after the first try for the lock, won or not (never waits for a holder to go). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface LeaseTimings {
  /** How often the holder proves it is alive, and a follower tries the lock. */
  heartbeatMs: number;
  /** A heartbeat slower than this counts as lost. */
  heartbeatTimeoutMs: number;
  /** The server ends a lock session quiet for this long (hung holder). */
  idleSessionMs: number;
}

export const defaultLeaseTimings: LeaseTimings = { heartbeatMs: 1000, heartbeatTimeoutMs: 2000, idleSessionMs: 5000 };

/** One lock per database, shared by every singleton: they follow one another on fail-over. */
const SINGLETONS_LOCK = 0x63677364; // "cgsd"

export function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

abstract class BaseLeadership implements Leadership {
  readonly instanceId = newInstanceId();
  protected readonly events = new EventEmitter();
  protected leader = false;
  protected running = false;

  get isLeader(): boolean {
    return this.leader;
  }

  get role(): 'leader' | 'follower' | 'stopped' {
    return this.running ? (this.leader ? 'leader' : 'follower') : 'stopped';
  }

  onChange(listener: (leader: boolean) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  protected set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.events.emit('change', leader);
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
}

class AlwaysLeader extends BaseLeadership {
  async start(): Promise<void> {
    this.running = true;
    this.set(true);
  }

  async stop(): Promise<void> {
    this.set(false);
    this.running = false;
  }
}

class AdvisoryLockLeadership extends BaseLeadership {
  private client: pg.Client | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private firstTry: (() => void) | null = null;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    private readonly timings: LeaseTimings,
  ) {
    super();
  }

  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    const tried = new Promise<void>((resolve) => (this.firstTry = resolve));
    this.loop = this.run();
    return tried;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const client = await this.connect();
        while (this.running) {
          if (!this.leader) {
            const { rows } = await this.timed(
              client.query('select pg_try_advisory_lock($1) as got', [SINGLETONS_LOCK]),
            );
            if (rows[0].got) {
              this.log.info({ instance: this.instanceId }, 'cluster: this instance now runs the singletons');
              this.set(true);
            }
            this.tried();
          } else {
            await this.timed(client.query('select 1'));
          }
          await this.sleep(this.timings.heartbeatMs);
        }
      } catch (err) {
        if (this.leader)
          this.log.warn({ err: (err as Error).message }, 'cluster: lost the singletons lock, stepping down');
        else this.log.debug({ err: (err as Error).message }, 'cluster: lock connection failed');
        this.set(false);
        this.drop();
        this.tried();
        await this.sleep(this.timings.heartbeatMs);
      }
    }
    this.tried();
    // Ending the session releases the lock; stepping down first stops the singletons' use of it.
    this.set(false);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private tried(): void {
    this.firstTry?.();
    this.firstTry = null;
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, keepAliveInitialDelayMillis: 1000 });
    client.on('error', () => {
      if (this.client !== client) return;
      if (this.leader) this.log.warn('cluster: lock connection broke, stepping down');
      this.set(false);
      this.drop();
    });
    try {
      await this.timed(client.connect());
      await this.timed(client.query(`set idle_session_timeout = ${Math.round(this.timings.idleSessionMs)}`));
      await this.timed(client.query(`set application_name = 'cg-lease'`));
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    this.client = client;
    return client;
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    // The socket goes now: a lock we think we lost must not linger with a half-open session.
    (client as unknown as { connection?: { stream?: { destroy(): void } } } | null)?.connection?.stream?.destroy();
    client?.end().catch(() => {});
  }

  private timed<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('lock connection too slow')), this.timings.heartbeatTimeoutMs);
    });
    work.catch(() => {});
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

export function createLeadership(database: Database, log: Logger, timings = defaultLeaseTimings): Leadership {
  if (database.kind === 'pglite' || !database.url) return new AlwaysLeader();
  return new AdvisoryLockLeadership(database.url, log.child({ component: 'cluster' }), timings);
}
