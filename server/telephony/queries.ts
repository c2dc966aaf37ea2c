import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { calls } from '../db/schema.js';

/** A recorded call by its id. */
export async function findCall(services: Services, id: string) {
  const [call] = await services.database.db.select().from(calls).where(eq(calls.id, id));
  return call as typeof call | undefined;
}
