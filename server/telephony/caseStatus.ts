import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { cases } from '../db/schema.js';

/** The IVR reads a case's state back from its recordings (telephony/flows/prompts.ts caseStates). */
export async function caseStatusForIvr(services: Services, caseNo: string): Promise<string | null> {
  const [kase] = await services.database.db.select({ state: cases.state }).from(cases).where(eq(cases.caseNo, caseNo));
  return kase ? kase.state : null;
}
