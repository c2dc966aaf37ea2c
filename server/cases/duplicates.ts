import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { rowFromJson } from '../db/jsonRows.js';
import { runStatement } from '../db/statementText.js';
import { cases } from '../db/schema.js';
import { openStates } from './lifecycle.js';
import { caseColumns, type CaseRow } from '../db/rows.js';

/** Great-circle distance in metres; exact enough at city scale. */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

export interface DuplicateQuery {
  categoryCode: string;
  lat: number;
  lng: number;
  radiusM: number;
  windowHours: number;
  now?: Date;
}

/** findNearbyOpenCases on the service's database (the intake form's 疑似重复 hint). */
export const nearbyOpenCases = (services: Pick<Services, 'database'>, q: DuplicateQuery) =>
  findNearbyOpenCases(services.database.db, q);

/** The search's text, the same on every call (a named statement on PostgreSQL); only its values change. */
const NEARBY_TEXT = (() => {
  let n = 1;
  const states = openStates.map(() => `$${++n}`).join(', ');
  // The case as the service reads it (without the search vector).
  const columns = Object.values(caseColumns)
    .map((column) => `"${column.name}"`)
    .join(', ');
  return `select row_to_json(c) as c from (select ${columns} from cases
    where category_code = $1 and state in (${states}) and created_at >= $${++n}
      and lat between $${++n} and $${++n} and lng between $${++n} and $${++n}) as c`;
})();

/** Open cases of the same 小类 reported within the window and radius, nearest first. */
export async function findNearbyOpenCases(
  db: DbOrTx,
  q: DuplicateQuery,
): Promise<Array<CaseRow & { distanceM: number }>> {
  const since = new Date((q.now ?? new Date()).getTime() - q.windowHours * 3600_000);
  // A box around the point, in SQL, narrows the scan before the exact distance.
  const dLat = (q.radiusM / 111_000) * 1.01;
  const dLng = dLat / Math.max(0.1, Math.cos((q.lat * Math.PI) / 180));
  const rows = (
    await runStatement<{ c: Record<string, unknown> }>(db, {
      text: NEARBY_TEXT,
      values: [
        q.categoryCode,
        ...openStates,
        since.toISOString(),
        q.lat - dLat,
        q.lat + dLat,
        q.lng - dLng,
        q.lng + dLng,
      ],
    })
  ).map((r) => rowFromJson(cases, r.c));
  return rows
    .map((c) => ({ ...c, distanceM: distanceM({ lat: q.lat, lng: q.lng }, { lat: c.lat!, lng: c.lng! }) }))
    .filter((c) => c.distanceM <= q.radiusM)
    .sort((a, b) => a.distanceM - b.distanceM);
}

/**
 * Advisory-lock keys for the ~1 km cells a duplicate search around a point
 * touches, in a fixed order: two reports that could be duplicates of each other
 * serialise, reports far apart do not.
 */
export function duplicateLockKeys(categoryCode: string, lat: number, lng: number, radiusM: number): string[] {
  const cell = 0.01;
  const dLat = radiusM / 111_000;
  const dLng = dLat / Math.max(0.1, Math.cos((lat * Math.PI) / 180));
  const keys = new Set<string>();
  for (const y of [lat - dLat, lat + dLat])
    for (const x of [lng - dLng, lng + dLng])
      keys.add(`dup:${categoryCode}:${Math.floor(y / cell)}:${Math.floor(x / cell)}`);
  return [...keys].sort();
}
