import { and, desc, eq, inArray, like } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { CitizenRow } from '../db/rows.js';
import { auditLog, calls, caseEvents, cases, citizens, reports } from '../db/schema.js';

/** Staff's view of a citizen: the record, the audited reveal of their number, and their history. */

export async function findCitizen(services: Services, id: string): Promise<CitizenRow | undefined> {
  const [c] = await services.database.db.select().from(citizens).where(eq(citizens.id, id));
  return c;
}

/** Every reveal of a citizen's number is written to the audit log, with who and from where. */
export async function auditUnmask(services: Services, actorId: string, citizenId: string, ip: string) {
  await services.database.db.insert(auditLog).values({
    actorId,
    action: 'citizen.unmask',
    targetType: 'citizen',
    targetId: citizenId,
    data: { ip },
  });
}

/**
 * A citizen's reports, calls and cases, then the survey steps of all their cases in one query
 * (newest first).
 */
export async function citizenHistory(services: Services, citizenId: string) {
  const db = services.database.db;
  const [rs, cs, own] = await Promise.all([
    db.select().from(reports).where(eq(reports.citizenId, citizenId)),
    db.select().from(calls).where(eq(calls.citizenId, citizenId)),
    db.select({ id: cases.id, caseNo: cases.caseNo }).from(cases).where(eq(cases.reporterId, citizenId)),
  ]);
  const surveyEvents = own.length
    ? await db
        .select()
        .from(caseEvents)
        .where(
          and(
            inArray(
              caseEvents.caseId,
              own.map((k) => k.id),
            ),
            like(caseEvents.action, 'survey%'),
          ),
        )
        .orderBy(desc(caseEvents.id))
    : [];
  return { reports: rs, calls: cs, cases: own, surveyEvents };
}
