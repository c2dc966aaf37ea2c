import { and, asc, desc, eq, gte, inArray, isNotNull, lte, type SQL } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { CaseRow } from '../db/rows.js';
import { cases, caseEvents, reports } from '../db/schema.js';
import { finalStates, openStates } from '../cases/lifecycle.js';

/** The reads of the Open311 GeoReport v2 API (server/routes/open311). */

export interface RequestFilter {
  /** service_request_id: when given, every other filter is ignored (the spec). */
  caseNos?: string[];
  start?: Date;
  end?: Date;
  serviceCodes?: string[];
  status?: 'open' | 'closed';
}

export interface Page {
  limit: number;
  offset: number;
}

export function requestsPage(services: Services, f: RequestFilter, page: Page): Promise<CaseRow[]> {
  const conds: SQL[] = [];
  if (f.caseNos) conds.push(inArray(cases.caseNo, f.caseNos));
  else {
    if (f.start) conds.push(gte(cases.createdAt, f.start));
    if (f.end) conds.push(lte(cases.createdAt, f.end));
    if (f.serviceCodes) conds.push(inArray(cases.categoryCode, f.serviceCodes));
    if (f.status) conds.push(inArray(cases.state, [...(f.status === 'closed' ? finalStates : openStates)]));
  }
  return services.database.db
    .select()
    .from(cases)
    .where(and(...conds))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(page.limit)
    .offset(page.offset);
}

export const requestsByCaseNo = (services: Services, caseNo: string) =>
  services.database.db.select().from(cases).where(eq(cases.caseNo, caseNo));

/** The case number a POST's token (its report's id) became, if any. */
export async function caseOfToken(services: Services, token: string): Promise<{ caseNo: string } | undefined> {
  const db = services.database.db;
  const [r] = await db.select({ caseId: reports.caseId }).from(reports).where(eq(reports.id, token));
  const [c] = r ? await db.select({ caseNo: cases.caseNo }).from(cases).where(eq(cases.id, r.caseId!)) : [];
  return c;
}

/** For a page of requests: each case's first report (its photo and raw POST) and its latest step. */
export async function requestExtras(services: Services, ids: string[]) {
  const db = services.database.db;
  if (!ids.length) return { firstReports: [], lastEvents: [] };
  const [firstReports, lastEvents] = await Promise.all([
    db
      .select({ caseId: reports.caseId, photos: reports.photos, raw: reports.raw })
      .from(reports)
      .where(and(inArray(reports.caseId, ids), eq(reports.disposition, 'opened'))),
    // Each case's latest step only.
    db
      .selectDistinctOn([caseEvents.caseId], {
        caseId: caseEvents.caseId,
        action: caseEvents.action,
        note: caseEvents.note,
        data: caseEvents.data,
      })
      .from(caseEvents)
      .where(inArray(caseEvents.caseId, ids))
      .orderBy(caseEvents.caseId, desc(caseEvents.id)),
  ]);
  return { firstReports, lastEvents };
}

/** Each change of a case's state in the window, oldest first (FixMyStreet's servicerequestupdates). */
export function requestUpdates(services: Services, start: Date, end: Date, page: Page) {
  return services.database.db
    .select({
      id: caseEvents.id,
      caseNo: cases.caseNo,
      action: caseEvents.action,
      toState: caseEvents.toState,
      note: caseEvents.note,
      data: caseEvents.data,
      attachments: caseEvents.attachments,
      createdAt: caseEvents.createdAt,
    })
    .from(caseEvents)
    .innerJoin(cases, eq(cases.id, caseEvents.caseId))
    .where(
      and(
        isNotNull(caseEvents.toState),
        // A case's first state is its creation, which the client already has.
        isNotNull(caseEvents.fromState),
        gte(caseEvents.createdAt, start),
        lte(caseEvents.createdAt, end),
      ),
    )
    .orderBy(asc(caseEvents.createdAt), asc(caseEvents.id))
    .limit(page.limit)
    .offset(page.offset);
}
