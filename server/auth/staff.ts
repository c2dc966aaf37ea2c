import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { StaffRow } from '../db/rows.js';
import { staffUsers, type StaffRole } from '../db/schema.js';

/** Staff accounts: the reads and writes the login and the admin's account pages need. */

export async function staffByUsername(services: Services, username: string): Promise<StaffRow | undefined> {
  const [user] = await services.database.db.select().from(staffUsers).where(eq(staffUsers.username, username)).limit(1);
  return user;
}

export async function staffById(services: Services, id: string): Promise<StaffRow | undefined> {
  const [user] = await services.database.db.select().from(staffUsers).where(eq(staffUsers.id, id));
  return user;
}

export const listStaff = (services: Services) =>
  services.database.db.select().from(staffUsers).orderBy(staffUsers.username);

export async function recordLogin(services: Services, id: string): Promise<void> {
  await services.database.db.update(staffUsers).set({ lastLoginAt: new Date() }).where(eq(staffUsers.id, id));
}

export interface NewStaff {
  username: string;
  displayName: string;
  role: StaffRole;
  departmentId: number | null;
  extension: string | null;
  passwordHash: string;
}

/** The new account, or undefined when the username is taken. */
export async function createStaff(services: Services, values: NewStaff): Promise<StaffRow | undefined> {
  const [row] = await services.database.db.insert(staffUsers).values(values).onConflictDoNothing().returning();
  return row;
}

export type StaffPatch = Partial<Pick<StaffRow, 'displayName' | 'role' | 'departmentId' | 'extension' | 'active'>> & {
  passwordHash?: string;
};

/** The account after the change, or undefined when there is none with this id. */
export async function updateStaff(services: Services, id: string, patch: StaffPatch): Promise<StaffRow | undefined> {
  services.sessions.forget();
  const [row] = await services.database.db.update(staffUsers).set(patch).where(eq(staffUsers.id, id)).returning();
  // A disabled account, a new role or department: this instance's cached sessions go before the answer.
  services.sessions.forget();
  return row;
}

/** The staff member's phone extension (screen-pops follow it), when they have one. */
export async function staffExtension(
  services: Services,
  id: string,
): Promise<{ extension: string | null } | undefined> {
  const [row] = await services.database.db
    .select({ extension: staffUsers.extension })
    .from(staffUsers)
    .where(eq(staffUsers.id, id));
  return row;
}
