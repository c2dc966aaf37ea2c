import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions, staffUsers } from '../db/schema.js';
import type { Actor } from './policy.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly ttlHours: number,
  ) {}

  async create(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlHours * 3600_000);
    await this.db.insert(sessions).values({ tokenHash: sha256(token), userId, expiresAt });
    // Opportunistic clean-up keeps the table small without a cron.
    await this.db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    return { token, expiresAt };
  }

  async resolve(token: string): Promise<Actor | null> {
    const rows = await this.db
      .select({
        id: staffUsers.id,
        username: staffUsers.username,
        role: staffUsers.role,
        departmentId: staffUsers.departmentId,
        active: staffUsers.active,
      })
      .from(sessions)
      .innerJoin(staffUsers, eq(staffUsers.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, new Date())))
      .limit(1);
    const row = rows[0];
    if (!row || !row.active) return null;
    return { id: row.id, username: row.username, role: row.role, departmentId: row.departmentId };
  }

  async revoke(token: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
  }

  /** Signs a user out everywhere (after a password reset). */
  async revokeAll(userId: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.userId, userId));
  }
}
