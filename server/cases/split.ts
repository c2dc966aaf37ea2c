import { and, eq, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { announceCaseChange } from './changes.js';
import { registeredNotice } from '../notifications/reactions.js';
import { caseEvents, cases, reports } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { nextCaseNo } from './caseNumber.js';
import type { CaseRow } from '../db/rows.js';
import { route, routedFields } from './routing.js';

/**
 * Undoes a wrong duplicate merge: the report gets a case of its own, in 受理,
 * routed afresh; both cases record what happened.
 */
export async function splitReport(
  services: Services,
  tx: DbOrTx,
  kase: CaseRow,
  reportId: string,
  actorId: string,
): Promise<CaseRow> {
  const [report] = await tx
    .select()
    .from(reports)
    .where(and(eq(reports.id, reportId), eq(reports.caseId, kase.id)));
  if (!report) throw notFound('该案件下的上报');
  if (report.disposition !== 'duplicate') throw new AppError(409, 'not_a_duplicate', '这条上报是案件的首报，不能拆分');
  const locator = await services.areas();
  const placement = locator.locate({ lat: report.lat, lng: report.lng, address: report.address });
  const decision = route(
    await services.rules(tx),
    { minor: kase.categoryCode, major: kase.majorCode },
    placement,
    locator,
  );
  const [created] = await tx
    .insert(cases)
    .values({
      caseNo: await nextCaseNo(tx),
      state: '受理',
      channel: report.channel,
      kind: kase.kind,
      categoryCode: kase.categoryCode,
      majorCode: kase.majorCode,
      title: kase.title,
      description: report.text,
      lat: report.lat,
      lng: report.lng,
      address: report.address,
      gridId: placement.gridId,
      communityId: placement.communityId,
      streetId: placement.streetId,
      districtId: placement.districtId,
      ...routedFields(decision),
      reporterId: report.citizenId,
      needsReview: false,
    })
    .returning();
  await tx.update(reports).set({ caseId: created.id, disposition: 'split' }).where(eq(reports.id, report.id));
  await tx
    .update(cases)
    .set({
      duplicateCount: sql`greatest(${cases.duplicateCount} - 1, 0)`,
      version: sql`${cases.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(cases.id, kase.id));
  await tx.insert(caseEvents).values([
    {
      caseId: kase.id,
      actorType: 'staff',
      actorId,
      action: 'split',
      fromState: kase.state,
      toState: kase.state,
      note: `重复上报已拆分为新案件 ${created.caseNo}`,
      data: { reportId, newCaseId: created.id },
    },
    {
      caseId: created.id,
      actorType: 'staff',
      actorId,
      action: 'received',
      toState: '受理',
      note: `由案件 ${kase.caseNo} 拆分而来`,
      data: { reportId, fromCaseId: kase.id },
    },
  ]);
  if (report.citizenId) {
    await services.jobs?.enqueue(tx, 'notify-citizen', registeredNotice(created.id, report.citizenId));
  }
  await announceCaseChange(tx, created.id);
  return created;
}

/** splitReport in a transaction of its own. */
export function splitOff(services: Services, kase: CaseRow, reportId: string, actorId: string): Promise<CaseRow> {
  return services.database.db.transaction((tx) => splitReport(services, tx, kase, reportId, actorId));
}
