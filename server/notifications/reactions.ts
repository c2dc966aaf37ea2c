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

/** 受理: the citizen whose report it was hears that it was accepted (and under which case number). */
export async function notifyOnOpened(services: Services, e: CaseOpened): Promise<number> {
  const db = services.database.db;
  const [report] = await db.select({ citizenId: reports.citizenId }).from(reports).where(eq(reports.id, e.reportId));
  if (!report?.citizenId) return 0;
  const job: NotifyJob = {
    kind: 'registered',
    caseId: e.caseId,
    citizenId: report.citizenId,
    dedupeKey: dedupeKeys.registered(e.caseId, report.citizenId),
  };
  await services.jobs?.enqueue(db, 'notify-citizen', job);
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
