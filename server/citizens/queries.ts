import { and, desc, eq, exists, inArray, isNotNull, or } from 'drizzle-orm';
import type { Services } from '../context.js';
import { caseColumns, type CaseRow } from '../db/rows.js';
import { caseEvents, cases, citizens, reports, surveys, uploads } from '../db/schema.js';

/** The citizen's WeChat openid, when they came through WeChat. */
export async function openidOf(services: Services, citizenId: string): Promise<string | null> {
  const [c] = await services.database.db
    .select({ openid: citizens.openid })
    .from(citizens)
    .where(eq(citizens.id, citizenId));
  return c?.openid ?? null;
}

/**
 * A case by its number with whether this citizen filed a report on it, in one statement: what
 * `citizenOwnsCase` (server/auth/policy.ts) decides on.
 */
export async function caseForCitizen(
  services: Services,
  caseNo: string,
  citizenId: string,
): Promise<{ kase: CaseRow; filedReport: boolean } | undefined> {
  const db = services.database.db;
  const [row] = await db
    .select({
      kase: caseColumns,
      filedReport: exists(
        db
          .select({ id: reports.id })
          .from(reports)
          .where(and(eq(reports.caseId, cases.id), eq(reports.citizenId, citizenId))),
      ).mapWith(Boolean),
    })
    .from(cases)
    .where(eq(cases.caseNo, caseNo));
  return row;
}

/** Of these uploads, the ones the citizen uploaded, with their content-check status. */
export function ownUploads(services: Services, citizenId: string, ids: string[]) {
  return services.database.db
    .select({ id: uploads.id, status: uploads.checkStatus })
    .from(uploads)
    .where(and(inArray(uploads.id, ids), eq(uploads.ownerType, 'citizen'), eq(uploads.ownerId, citizenId)));
}

/** The citizen's cases, newest first, with the photos of each report they filed. */
export async function citizenCases(services: Services, citizenId: string) {
  const db = services.database.db;
  const mine = await db
    .select({ caseId: reports.caseId, photos: reports.photos })
    .from(reports)
    .where(and(eq(reports.citizenId, citizenId), isNotNull(reports.caseId)));
  const ids = [...new Set(mine.map((r) => r.caseId!))];
  const rows = ids.length
    ? await db
        .select()
        .from(cases)
        .where(or(inArray(cases.id, ids), eq(cases.reporterId, citizenId)))
        .orderBy(desc(cases.createdAt))
    : [];
  return { reports: mine, cases: rows };
}

/** What the citizen's case page shows: the timeline, the reports, and the citizen's latest survey. */
export async function citizenCaseDetail(services: Services, caseId: string, citizenId: string) {
  const db = services.database.db;
  const [events, caseReports, survey] = await Promise.all([
    db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.id),
    db.select().from(reports).where(eq(reports.caseId, caseId)),
    db
      .select()
      .from(surveys)
      .where(and(eq(surveys.caseId, caseId), eq(surveys.citizenId, citizenId)))
      .orderBy(desc(surveys.round))
      .limit(1),
  ]);
  return { events, reports: caseReports, survey: survey[0] };
}

/** Of these uploads, the ones the content check refused (never shown). */
export async function refusedUploads(services: Services, ids: string[]): Promise<Set<string>> {
  const rows = await services.database.db
    .select({ id: uploads.id })
    .from(uploads)
    .where(
      and(inArray(uploads.id, [...ids, '00000000-0000-0000-0000-000000000000']), eq(uploads.checkStatus, 'refused')),
    );
  return new Set(rows.map((u) => u.id));
}

/** The latest closed cases, for the public "nearby" list. */
export function recentlyClosedCases(services: Services, limit = 200) {
  return services.database.db
    .select()
    .from(cases)
    .where(inArray(cases.state, ['结案']))
    .orderBy(desc(cases.closedAt))
    .limit(limit);
}
