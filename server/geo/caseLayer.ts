import type { Services } from '../context.js';
import { and, eq, gte, inArray, or, sql } from 'drizzle-orm';
import { areas, cases } from '../db/schema.js';
import { openStateList } from '../cases/queries.js';
import { bbox, type Geometry } from '../areas/validate.js';

/** The middle of an area's bounding box: where a case known only by its community is drawn. */
export function areaCentre(geometry: Geometry | null): { lat: number; lng: number } | null {
  if (!geometry?.coordinates) return null;
  const [w, s, e, n] = bbox(geometry);
  return Number.isFinite(w) ? { lat: (s + n) / 2, lng: (w + e) / 2 } : null;
}

export interface MapCaseRow {
  id: string;
  caseNo: string;
  state: string;
  categoryCode: string | null;
  lat: number;
  lng: number;
  overdue: boolean;
  /** Drawn at the centre of its grid, community or street: the case has no point of its own. */
  approximate: boolean;
}

/**
 * Open cases, and those closed in the last `closedDays`, each at its point or else at the centre of
 * the most precise area it was placed in (grid, community, street); cases placed nowhere are left out.
 */
export async function casesForMap(
  services: Pick<Services, 'database'>,
  opts: { departmentId?: number | null; closedDays?: number; limit?: number } = {},
): Promise<MapCaseRow[]> {
  const db = services.database.db;
  const { departmentId = null, closedDays = 30, limit = 5000 } = opts;
  const since = new Date(Date.now() - closedDays * 86_400_000);
  const rows = await db
    .select({
      id: cases.id,
      caseNo: cases.caseNo,
      state: cases.state,
      categoryCode: cases.categoryCode,
      lat: cases.lat,
      lng: cases.lng,
      gridId: cases.gridId,
      communityId: cases.communityId,
      streetId: cases.streetId,
      deadlineStatus: cases.deadlineStatus,
    })
    .from(cases)
    .where(
      and(
        or(inArray(cases.state, openStateList), and(eq(cases.state, '结案'), gte(cases.closedAt, since))),
        departmentId == null ? undefined : eq(cases.departmentId, departmentId),
      ),
    )
    .orderBy(sql`${cases.createdAt} desc`)
    .limit(limit);
  const wanted = [...new Set(rows.filter((r) => r.lat == null).flatMap((r) => [r.gridId, r.communityId, r.streetId]))];
  const ids = wanted.filter((x): x is number => x != null);
  const centres = new Map<number, { lat: number; lng: number } | null>();
  if (ids.length)
    for (const a of await db
      .select({ id: areas.id, geometry: areas.geometry })
      .from(areas)
      .where(inArray(areas.id, ids)))
      centres.set(a.id, areaCentre(a.geometry));
  const out: MapCaseRow[] = [];
  for (const r of rows) {
    const at =
      r.lat != null && r.lng != null
        ? { lat: r.lat, lng: r.lng }
        : [r.gridId, r.communityId, r.streetId].map((id) => (id == null ? null : centres.get(id))).find(Boolean);
    if (!at) continue;
    out.push({
      id: r.id,
      caseNo: r.caseNo,
      state: r.state,
      categoryCode: r.categoryCode,
      lat: at.lat,
      lng: at.lng,
      overdue: r.deadlineStatus === '已超期' && r.state !== '结案',
      approximate: r.lat == null,
    });
  }
  return out;
}
