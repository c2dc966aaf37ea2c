import type { Services } from '../context.js';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/client.js';
import { caseEvents, cases } from '../db/schema.js';
import { inArea } from '../cases/queries.js';
import type { StatsQuery } from './load.js';

/**
 * 催办 / 督办 in a period (Beijing dates, both included): how many urges were made, and on how
 * many cases. A department's figure counts the urges made while the case was its own.
 */
export async function supervisionFigures(
  services: Pick<Services, 'database'>,
  q: StatsQuery,
): Promise<{ urges: number; urgedCases: number }> {
  const db = services.database.db;
  const from = new Date(`${q.from}T00:00:00+08:00`);
  const to = new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000);
  const conds = [
    sql`${caseEvents.action} = 'urge'`,
    sql`${caseEvents.createdAt} >= ${from}`,
    sql`${caseEvents.createdAt} < ${to}`,
  ];
  if (q.departmentId != null) conds.push(sql`(${caseEvents.data}->>'departmentId')::int = ${q.departmentId}`);
  if (q.areaId != null) conds.push(inArea(q.areaId));
  const result = await db.execute<{ urges: number; urgedCases: number }>(
    sql`select count(*)::int as "urges", count(distinct ${caseEvents.caseId})::int as "urgedCases"
        from ${caseEvents} join ${cases} on ${cases.id} = ${caseEvents.caseId}
        where ${sql.join(conds, sql` and `)}`,
  );
  return rowsOf<{ urges: number; urgedCases: number }>(result)[0] ?? { urges: 0, urgedCases: 0 };
}
