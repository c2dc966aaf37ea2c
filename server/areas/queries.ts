import { eq, inArray, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import { areas, cases, type AreaLevel } from '../db/schema.js';
import { openStateList } from '../cases/queries.js';

/** The areas (of one level, or all), and per area of that level its open and overdue cases. */
export async function areasWithCaseCounts(services: Services, level: AreaLevel | undefined) {
  const db = services.database.db;
  const rows = await db
    .select()
    .from(areas)
    .where(level ? eq(areas.level, level) : undefined);
  const column = {
    grid: cases.gridId,
    community: cases.communityId,
    street: cases.streetId,
    district: cases.districtId,
  }[level ?? 'grid'];
  const counts = await db
    .select({
      areaId: column,
      open: sql<number>`count(*)::int`,
      overdue: sql<number>`count(*) filter (where ${cases.deadlineStatus} = '已超期')::int`,
    })
    .from(cases)
    .where(inArray(cases.state, openStateList))
    .groupBy(column);
  return { areas: rows, counts: new Map(counts.map((c) => [c.areaId, c])) };
}
