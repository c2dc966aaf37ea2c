import { and, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { cases } from '../db/schema.js';
import { openStates } from './lifecycle.js';

export interface CaseFilter {
  state?: string[];
  categoryCode?: string;
  areaId?: number;
  departmentId?: number;
  deadlineStatus?: string;
  channel?: string;
  q?: string;
  needsReview?: boolean;
  /** Open cases no rule could route: the supervisors' triage queue. */
  triage?: boolean;
  reporterId?: string;
}

/** Cases in an area of any level: the grid cell, community, street or district column names it. */
export function inArea(areaId: number): SQL {
  return or(
    eq(cases.gridId, areaId),
    eq(cases.communityId, areaId),
    eq(cases.streetId, areaId),
    eq(cases.districtId, areaId),
  )!;
}

export function caseWhere(f: CaseFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.state?.length) conds.push(inArray(cases.state, f.state));
  if (f.categoryCode) conds.push(or(eq(cases.categoryCode, f.categoryCode), eq(cases.majorCode, f.categoryCode))!);
  if (f.areaId != null) conds.push(inArea(f.areaId));
  if (f.departmentId != null) conds.push(eq(cases.departmentId, f.departmentId));
  if (f.deadlineStatus) conds.push(eq(cases.deadlineStatus, f.deadlineStatus as any));
  if (f.channel) conds.push(eq(cases.channel, f.channel));
  if (f.needsReview != null) conds.push(eq(cases.needsReview, f.needsReview));
  if (f.reporterId) conds.push(eq(cases.reporterId, f.reporterId));
  if (f.triage) conds.push(and(isNull(cases.departmentId), inArray(cases.state, ['受理', '立案']))!);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, (m) => '\\' + m)}%`;
    conds.push(
      or(eq(cases.caseNo, f.q), ilike(cases.title, like), ilike(cases.description, like), ilike(cases.address, like))!,
    );
  }
  return conds.length ? and(...conds) : undefined;
}

export async function listCases(db: DbOrTx, f: CaseFilter, page: number, pageSize: number) {
  const where = caseWhere(f);
  const [items, [{ total }]] = await Promise.all([
    db
      .select()
      .from(cases)
      .where(where)
      .orderBy(desc(cases.createdAt), desc(cases.caseNo))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(cases)
      .where(where),
  ]);
  return { items, total };
}

export const openStateList = [...openStates];
