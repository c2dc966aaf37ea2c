import { and, desc, eq, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Services } from '../context.js';
import { rowsOf, type DbOrTx } from '../db/client.js';
import type { CaseRow } from '../db/rows.js';
import {
  callCases,
  calls,
  caseEvents,
  cases,
  chatMessages,
  citizens,
  reports,
  staffUsers,
  uploads,
  type AreaLevel,
} from '../db/schema.js';
import { openStates } from './lifecycle.js';
import { CASE_NO } from './caseNumber.js';
import { isPhone } from '../lib/phone.js';

export interface CaseFilter {
  state?: string[];
  categoryCode?: string;
  /** Whether categoryCode names a 大类 (then every 小类 under it matches). */
  categoryIsMajor?: boolean;
  areaId?: number;
  /** The level of areaId, so the one matching column (and its index) is used. */
  areaLevel?: AreaLevel;
  departmentId?: number;
  deadlineStatus?: CaseRow['deadlineStatus'];
  channel?: string;
  q?: string;
  /** The keyed hash of q when q is a phone number: the reporter's and merged reporters' cases. */
  phoneHash?: string;
  needsReview?: boolean;
  /** Open cases no rule could route: the supervisors' triage queue. */
  triage?: boolean;
  reporterId?: string;
  /** Received from this instant (included) to that one (excluded). */
  createdFrom?: Date;
  createdBefore?: Date;
}

const areaColumn = {
  grid: cases.gridId,
  community: cases.communityId,
  street: cases.streetId,
  district: cases.districtId,
} as const;

/** Cases in an area of any level: the grid cell, community, street or district column names it. */
export function inArea(areaId: number, level?: AreaLevel): SQL {
  if (level) return eq(areaColumn[level], areaId);
  return or(
    eq(cases.gridId, areaId),
    eq(cases.communityId, areaId),
    eq(cases.streetId, areaId),
    eq(cases.districtId, areaId),
  )!;
}

/** What a search box entry is: a case number and a phone number are exact, indexed lookups; the rest is text. */
export function searchKind(q: string): 'caseNo' | 'phone' | 'text' {
  if (CASE_NO.test(q)) return 'caseNo';
  if (/^[\d\s+()-]+$/.test(q) && isPhone(q)) return 'phone';
  return 'text';
}

function searchCond(f: CaseFilter & { q: string }): SQL {
  const kind = searchKind(f.q);
  if (kind === 'caseNo') return eq(cases.caseNo, f.q);
  if (kind === 'phone') {
    const who = sql`(select ${citizens.id} from ${citizens} where ${citizens.phoneHash} = ${f.phoneHash ?? ''})`;
    return inArray(cases.id, sql`(select ${reports.caseId} from ${reports} where ${reports.citizenId} in ${who})`);
  }
  const like = `%${f.q.replace(/[%_\\]/g, (m) => '\\' + m)}%`;
  const exact = or(ilike(cases.title, like), ilike(cases.description, like), ilike(cases.address, like))!;
  // The bigram index narrows the rows; the ILIKE keeps the answer exactly what it was without it.
  // A query with no letters or digits has no bigram, so it is left to the ILIKE alone.
  return /[\p{L}\p{N}]/u.test(f.q) ? and(sql`${cases.searchVector} @@ case_search_query(${f.q})`, exact)! : exact;
}

export function caseWhere(f: CaseFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.state?.length) conds.push(inArray(cases.state, f.state));
  if (f.categoryCode) {
    conds.push(
      f.categoryIsMajor == null
        ? or(eq(cases.categoryCode, f.categoryCode), eq(cases.majorCode, f.categoryCode))!
        : eq(f.categoryIsMajor ? cases.majorCode : cases.categoryCode, f.categoryCode),
    );
  }
  if (f.areaId != null) conds.push(inArea(f.areaId, f.areaLevel));
  if (f.departmentId != null) conds.push(eq(cases.departmentId, f.departmentId));
  if (f.deadlineStatus) conds.push(eq(cases.deadlineStatus, f.deadlineStatus));
  if (f.channel) conds.push(eq(cases.channel, f.channel));
  if (f.needsReview != null) conds.push(eq(cases.needsReview, f.needsReview));
  if (f.reporterId) conds.push(eq(cases.reporterId, f.reporterId));
  if (f.triage) conds.push(and(isNull(cases.departmentId), inArray(cases.state, ['受理', '立案']))!);
  if (f.createdFrom) conds.push(sql`${cases.createdAt} >= ${f.createdFrom}`);
  if (f.createdBefore) conds.push(lt(cases.createdAt, f.createdBefore));
  if (f.q) conds.push(searchCond({ ...f, q: f.q }));
  return conds.length ? and(...conds) : undefined;
}

/** Past this many matches the list says "more than" instead of counting them all. */
export const COUNT_CAP = 10_000;
/** The same for a text search, whose matches are checked row by row. */
export const TEXT_COUNT_CAP = 1_000;
/** How many of the newest rows (of the other filters) a text search reads in list order before the index. */
const TEXT_WINDOW = 20_000;

/**
 * Where the previous page ended, in the list's order (newest first). The time
 * is kept as PostgreSQL's text, to the microsecond: a JavaScript Date would
 * round it to the millisecond and lose or repeat rows at a page boundary.
 */
export interface Cursor {
  createdAt: string;
  caseNo: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.createdAt, c.caseNo])).toString('base64url');

export function decodeCursor(s: string): Cursor | null {
  try {
    const [createdAt, caseNo] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof createdAt !== 'string' || typeof caseNo !== 'string' || Number.isNaN(Date.parse(createdAt))) return null;
    return { createdAt, caseNo };
  } catch {
    return null;
  }
}

export interface PageRequest {
  pageSize: number;
  /** Keyset: the rows after this one. Constant time at any depth. */
  after?: Cursor;
  /** Offset paging, kept for the console's numbered pages. */
  page?: number;
}

const afterCond = (after: Cursor) =>
  sql`(${cases.createdAt}, ${cases.caseNo}) < (${after.createdAt}::timestamptz, ${after.caseNo})`;

async function pageOf(db: DbOrTx, where: SQL | undefined, p: PageRequest) {
  const conds = [where];
  if (p.after) conds.push(afterCond(p.after));
  const rows = await db
    .select({ row: cases, at: sql<string>`${cases.createdAt}::text` })
    .from(cases)
    .where(and(...conds))
    .orderBy(desc(cases.createdAt), desc(cases.caseNo))
    .limit(p.pageSize + 1)
    .offset(p.after ? 0 : ((p.page ?? 1) - 1) * p.pageSize);
  const items = rows.slice(0, p.pageSize);
  const last = rows.length > p.pageSize ? items.at(-1) : undefined;
  return {
    items: items.map((r) => r.row),
    nextCursor: last ? encodeCursor({ createdAt: last.at, caseNo: last.row.caseNo }) : null,
  };
}

/** The number of matches, counted up to cap and no further. */
async function cappedCount(db: DbOrTx, where: SQL | undefined, cap = COUNT_CAP) {
  const [{ n }] = await db
    .execute<{ n: number }>(
      sql`select count(*)::int as n from (select 1 from ${cases} where ${where ?? sql`true`} limit ${cap + 1}) m`,
    )
    .then((r) => rowsOf<{ n: number }>(r));
  return { total: Math.min(n, cap), totalCapped: n > cap };
}

/**
 * A text search over the newest TEXT_WINDOW rows of the other filters, in list order: a common
 * word (井盖 in one case of six) fills a page and the count's cap there, where the bigram index
 * would first gather every match in the city. The window is a subquery named cases, so the
 * search condition reads its columns; null when the window does not hold enough.
 */
async function textInWindow(db: DbOrTx, f: CaseFilter & { q: string }, p: PageRequest) {
  const others = caseWhere({ ...f, q: undefined });
  const window = (after?: Cursor) =>
    sql`(select * from ${cases} where ${and(others, after && afterCond(after)) ?? sql`true`}
      order by created_at desc, case_no desc limit ${TEXT_WINDOW}) as cases`;
  const match = searchCond(f);
  const [hits, [{ n }]] = await Promise.all([
    db
      .execute(
        sql`select id from ${window(p.after)} where ${match} order by created_at desc, case_no desc limit ${p.pageSize + 1}`,
      )
      .then((r) => rowsOf<{ id: string }>(r)),
    db
      .execute(
        sql`select count(*)::int as n from (select 1 from ${window()} where ${match} limit ${TEXT_COUNT_CAP + 1}) m`,
      )
      .then((r) => rowsOf<{ n: number }>(r)),
  ]);
  if (hits.length <= p.pageSize || n <= TEXT_COUNT_CAP) return null;
  const page = await pageOf(
    db,
    inArray(
      cases.id,
      hits.map((h) => h.id),
    ),
    { pageSize: p.pageSize },
  );
  return { ...page, total: TEXT_COUNT_CAP, totalCapped: true };
}

export async function listCases(db: DbOrTx, f: CaseFilter, p: PageRequest) {
  const text = f.q && searchKind(f.q) === 'text' ? f.q : undefined;
  if (text && (p.page ?? 1) === 1) {
    const dense = await textInWindow(db, { ...f, q: text }, p);
    if (dense) return dense;
  }
  const where = caseWhere(f);
  const [page, count] = await Promise.all([
    pageOf(db, where, p),
    cappedCount(db, where, text ? TEXT_COUNT_CAP : COUNT_CAP),
  ]);
  return { ...page, ...count };
}

/** Every matching case, newest first, fetched a batch at a time: memory stays flat whatever the count. */
export async function* eachCase(db: DbOrTx, f: CaseFilter, batch = 1000) {
  const where = caseWhere(f);
  let after: Cursor | undefined;
  for (;;) {
    const { items, nextCursor } = await pageOf(db, where, { pageSize: batch, after });
    yield items;
    if (!nextCursor) return;
    after = decodeCursor(nextCursor)!;
  }
}

export const openStateList = [...openStates];

/** A case by its id. */
export async function findCase(services: Services, id: string): Promise<CaseRow | undefined> {
  const [row] = await services.database.db.select().from(cases).where(eq(cases.id, id));
  return row;
}

/** One page of the case list and its capped count. */
export const listCasesFor = (services: Services, f: CaseFilter, p: PageRequest) =>
  listCases(services.database.db, f, p);

/** Every matching case, a batch at a time (the CSV export). */
export const eachCaseFor = (services: Services, f: CaseFilter) => eachCase(services.database.db, f);

/** A case's history, newest first. */
export const caseEventsNewestFirst = (services: Services, caseId: string) =>
  services.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(desc(caseEvents.id));

/**
 * Everything the case page shows beside the case: its history, reports, calls, the names of the
 * staff in its history, the photos it refers to, its reporter and the reporter's WeChat
 * conversation (so the agent sees what was said around the report). Up to seven statements, the
 * first three at once.
 */
export async function casePage(services: Services, kase: CaseRow) {
  const db = services.database.db;
  const [events, caseReports, caseCalls] = await Promise.all([
    db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).orderBy(caseEvents.id),
    db.select().from(reports).where(eq(reports.caseId, kase.id)).orderBy(reports.createdAt),
    db
      .select({ call: calls })
      .from(callCases)
      .innerJoin(calls, eq(calls.id, callCases.callId))
      .where(eq(callCases.caseId, kase.id))
      .orderBy(calls.startedAt)
      .then((rows) => rows.map((r) => r.call)),
  ]);
  const staffIds = [...new Set(events.filter((e) => e.actorType === 'staff' && e.actorId).map((e) => e.actorId!))];
  const staff = staffIds.length
    ? await db
        .select({ id: staffUsers.id, name: staffUsers.displayName })
        .from(staffUsers)
        .where(inArray(staffUsers.id, staffIds))
    : [];
  const uploadIds = [...new Set([...events.flatMap((e) => e.attachments), ...caseReports.flatMap((r) => r.photos)])];
  const files = uploadIds.length ? await db.select().from(uploads).where(inArray(uploads.id, uploadIds)) : [];
  const [reporter] = kase.reporterId ? await db.select().from(citizens).where(eq(citizens.id, kase.reporterId)) : [];
  const messages = reporter?.chatContactId
    ? await db
        .select()
        .from(chatMessages)
        .where(or(eq(chatMessages.caseId, kase.id), eq(chatMessages.contactId, reporter.chatContactId)))
        .orderBy(desc(chatMessages.id))
        .limit(100)
    : [];
  return {
    events,
    reports: caseReports,
    calls: caseCalls,
    staffName: new Map(staff.map((s) => [s.id, s.name])),
    files,
    reporter: reporter as typeof reporter | undefined,
    /** Oldest first. */
    messages: messages.reverse(),
  };
}
