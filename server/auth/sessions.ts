import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { sessions, staffUsers } from '../db/schema.js';
import type { Actor } from './policy.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Sent at commit by migration 0019's triggers when a session ends or an account changes (payload: the table). */
const CHANNEL = 'cg_reference_changed';
const WATCHED = new Set(['sessions', 'staff_users']);

/** Should a notification be lost while the listening connection is reopened, no cached session outlives this. */
const MAX_AGE_MS = 10_000;

interface Cached {
  actor: Actor;
  expiresAt: number;
  loadedAt: number;
}

/**
 * Staff sessions. Every staff request resolves its token, so resolved sessions are kept in memory
 * instead of read each time. A session ended or an account changed (disabled, new role, new
 * department, new password) drops every cached session: on this instance at once, on the others
 * at the commit's NOTIFY (migration 0019's triggers, which also fire for changes made by hand in SQL).
 * While the listening connection is down no session is cached.
 */
export class SessionStore {
  private readonly cache = new Map<string, Cached>();
  /** Bumped by each drop, so a look-up that started before it does not store what it read. */
  private generation = 0;
  private listening = false;

  constructor(
    private readonly database: Database,
    private readonly ttlHours: number,
  ) {
    // From the start: PGlite's one connection could not LISTEN while a transaction holds it.
    database
      .listen(
        CHANNEL,
        (payload) => {
          if (WATCHED.has(payload)) this.forget();
        },
        (listening) => {
          this.listening = listening;
          this.forget();
        },
      )
      .then(() => (this.listening = true))
      .catch(() => (this.listening = false));
  }

  private get db() {
    return this.database.db;
  }

  async create(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlHours * 3600_000);
    await this.db.insert(sessions).values({ tokenHash: sha256(token), userId, expiresAt });
    // Opportunistic clean-up keeps the table small without a cron.
    await this.db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    return { token, expiresAt };
  }

  async resolve(token: string): Promise<Actor | null> {
    const hash = sha256(token);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.expiresAt > now && now - hit.loadedAt < MAX_AGE_MS) return hit.actor;
    if (hit) this.cache.delete(hash);
    const generation = this.generation;
    const rows = await this.db
      .select({
        id: staffUsers.id,
        username: staffUsers.username,
        role: staffUsers.role,
        departmentId: staffUsers.departmentId,
        active: staffUsers.active,
        expiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .innerJoin(staffUsers, eq(staffUsers.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, new Date(now))))
      .limit(1);
    const row = rows[0];
    if (!row || !row.active) return null;
    const actor: Actor = { id: row.id, username: row.username, role: row.role, departmentId: row.departmentId };
    if (this.listening && generation === this.generation) {
      this.cache.set(hash, { actor, expiresAt: row.expiresAt.getTime(), loadedAt: now });
    }
    return actor;
  }

  async revoke(token: string): Promise<void> {
    this.forget();
    await this.db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
    this.forget();
  }

  /** Signs a user out everywhere (after a password reset). */
  async revokeAll(userId: string): Promise<void> {
    this.forget();
    await this.db.delete(sessions).where(eq(sessions.userId, userId));
    this.forget();
  }

  /**
   * Drops every cached session: this instance's own changes to sessions or accounts call it before
   * they answer, without waiting for their notification to come back.
   */
  forget(): void {
    this.generation++;
    this.cache.clear();
  }
}
