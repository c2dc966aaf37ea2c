import type { Services } from '../context.js';
import { and, asc, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { caseListScope } from '../auth/policy.js';
import { rowsOf } from '../db/client.js';
import { cases, type StaffRole } from '../db/schema.js';

/** Cases whose clock runs: dispatched and not yet disposed of. */
const running = ['派遣', '处置中'];
const placed = or(isNotNull(cases.gridId), isNotNull(cases.streetId))!;
const notOther = sql`${cases.kind} is distinct from '非城管'`;

interface InboxDef {
  label: string;
  roles: readonly StaffRole[];
  where: SQL;
}

/**
 * Each role's work lists, one definition each: the page, the count in the menu and the
 * pushed counts all read these. Department staff see their own department's cases only.
 */
export const inboxes = {
  review: {
    label: '待审核',
    roles: ['agent', 'supervisor', 'admin'],
    where: and(eq(cases.needsReview, true), inArray(cases.state, ['受理', '立案']))!,
  },
  triage: {
    label: '待分拨',
    roles: ['agent', 'supervisor', 'admin'],
    where: and(
      eq(cases.state, '受理'),
      eq(cases.needsReview, false),
      or(sql`not (${placed})`, sql`${cases.kind} = '非城管'`),
    )!,
  },
  register: {
    label: '待立案',
    roles: ['agent', 'supervisor', 'admin'],
    where: and(eq(cases.state, '受理'), eq(cases.needsReview, false), placed, notOther)!,
  },
  dispatch: { label: '待派遣', roles: ['supervisor', 'admin'], where: eq(cases.state, '立案') },
  accept: { label: '待签收', roles: ['department', 'admin'], where: eq(cases.state, '派遣') },
  working: { label: '处置中', roles: ['department', 'admin'], where: eq(cases.state, '处置中') },
  check: { label: '待核查', roles: ['supervisor', 'admin'], where: eq(cases.state, '核查') },
  due_soon: {
    label: '即将超期',
    roles: ['supervisor', 'department', 'admin'],
    where: and(inArray(cases.state, running), eq(cases.deadlineStatus, '即将超期'))!,
  },
  overdue: {
    label: '已超期',
    roles: ['supervisor', 'department', 'admin'],
    where: and(inArray(cases.state, running), eq(cases.deadlineStatus, '已超期'))!,
  },
  urged: {
    label: '催办',
    roles: ['supervisor', 'department', 'admin'],
    where: and(inArray(cases.state, running), isNotNull(cases.urgedAt))!,
  },
} as const satisfies Record<string, InboxDef>;

export type InboxName = keyof typeof inboxes;
export const inboxNames = Object.keys(inboxes) as InboxName[];

export interface InboxViewer {
  role: StaffRole;
  departmentId: number | null;
}

export const inboxesFor = (role: StaffRole): InboxName[] =>
  inboxNames.filter((n) => (inboxes[n].roles as readonly StaffRole[]).includes(role));

/** Department staff see their own department's cases only (server/auth/policy.ts). */
const scope = (v: InboxViewer): SQL | undefined => {
  const departmentId = caseListScope(v);
  return departmentId == null ? undefined : eq(cases.departmentId, departmentId);
};

/** Every inbox of the viewer's role with its count, in one statement. */
export async function inboxCounts(
  services: Pick<Services, 'database'>,
  viewer: InboxViewer,
): Promise<Array<{ name: InboxName; label: string; count: number }>> {
  const db = services.database.db;
  const names = inboxesFor(viewer.role);
  if (!names.length) return [];
  const columns = sql.join(
    names.map((n) => sql`count(*) filter (where ${inboxes[n].where})::int as ${sql.identifier(n)}`),
    sql`, `,
  );
  const where = scope(viewer) ?? sql`true`;
  const result = await db.execute<Record<string, number>>(sql`select ${columns} from ${cases} where ${where}`);
  const row = rowsOf<Record<string, number>>(result)[0];
  return names.map((name) => ({ name, label: inboxes[name].label, count: Number(row?.[name] ?? 0) }));
}

/** One inbox's cases, the nearest deadline first (cases with none after, oldest first). */
export async function inboxCases(
  services: Pick<Services, 'database'>,
  viewer: InboxViewer,
  name: InboxName,
  limit = 200,
) {
  const db = services.database.db;
  return db
    .select()
    .from(cases)
    .where(and(inboxes[name].where, scope(viewer)))
    .orderBy(sql`${cases.deadlineAt} asc nulls last`, asc(cases.createdAt), asc(cases.caseNo))
    .limit(limit);
}
