import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { cases, reports } from '../db/schema.js';
import { caseCitizens } from '../surveys/facts.js';
import type { CaseTransitioned } from '../surveys/reactions.js';
import { dedupeKeys, type NotifyJob } from './send.js';

export interface CaseOpened {
  caseId: string;
  reportId: string;
  duplicate: boolean;
}

/**
 * 受理: the citizen whose report it was hears that it was accepted (and under which case number). The
 * intake queues this `notify-citizen` job itself, in its transaction, for a report with a citizen (a
 * duplicate's reporter too: the number is the case's they were attached to); a report without one
 * queues no job at all.
 */
export function registeredNotice(caseId: string, citizenId: string): NotifyJob {
  return { kind: 'registered', caseId, citizenId, dedupeKey: dedupeKeys.registered(caseId, citizenId) };
}

/**
 * A `case-opened` job queued before the intake sent the notice itself (retired queue, still worked):
 * the same notice, found from the report.
 */
export async function notifyOnOpened(services: Services, e: CaseOpened): Promise<number> {
  const db = services.database.db;
  const [report] = await db.select({ citizenId: reports.citizenId }).from(reports).where(eq(reports.id, e.reportId));
  if (!report?.citizenId) return 0;
  await services.jobs?.enqueue(db, 'notify-citizen', registeredNotice(e.caseId, report.citizenId));
  return 1;
}

/** 派遣 and 核查通过 (已处置): every citizen of the case hears of it, one job each. */
export async function notifyOnTransition(services: Services, e: CaseTransitioned): Promise<number> {
  if (e.action !== 'dispatch' && e.action !== 'check_pass') return 0;
  const db = services.database.db;
  return db.transaction(async (tx) => {
    const [kase] = await tx.select().from(cases).where(eq(cases.id, e.caseId));
    if (!kase) return 0;
    const people = await caseCitizens(tx, kase);
    for (const { citizen } of people) {
      const job: NotifyJob =
        e.action === 'dispatch'
          ? {
              kind: 'dispatched',
              caseId: kase.id,
              citizenId: citizen.id,
              dedupeKey: dedupeKeys.dispatched(kase.id, citizen.id),
            }
          : {
              kind: 'resolved',
              caseId: kase.id,
              citizenId: citizen.id,
              dedupeKey: dedupeKeys.resolved(kase.id, citizen.id, kase.reworkCount),
            };
      await services.jobs?.enqueue(tx, 'notify-citizen', job);
    }
    return people.length;
  });
}
