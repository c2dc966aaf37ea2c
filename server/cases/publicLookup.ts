import { eq, sql } from 'drizzle-orm';
import type { Database, Db } from '../db/client.js';
import type { Services } from '../context.js';
import { cases } from '../db/schema.js';
import { placeLookups } from '../presenters/case.js';
import { publicCase } from '../presenters/citizenCase.js';
import { PublicCaseCache } from './publicCaseCache.js';

/** The fields the public lookup shows of a case, and of each event for its timeline. */
export interface PublicCaseRow {
  id: string;
  caseNo: string;
  state: string;
  categoryCode: string | null;
  streetId: number | null;
  communityId: number | null;
  createdAt: Date;
  closedAt: Date | null;
  events: Array<{ action: string; note: string | null; data: unknown; createdAt: Date }>;
}

type Prepared = ReturnType<typeof prepare>;
const prepared = new WeakMap<Db, Prepared>();

/** One statement, prepared once per database: the case and its events aggregated beside it. */
function prepare(db: Db) {
  return db
    .select({
      id: cases.id,
      caseNo: cases.caseNo,
      state: cases.state,
      categoryCode: cases.categoryCode,
      streetId: cases.streetId,
      communityId: cases.communityId,
      createdAt: cases.createdAt,
      closedAt: cases.closedAt,
      events: sql<Array<{ action: string; note: string | null; data: unknown; createdAt: string }>>`coalesce((
        select json_agg(json_build_object('action', e.action, 'note', e.note, 'data', e.data, 'createdAt', e.created_at) order by e.id)
        from case_events e where e.case_id = cases.id), '[]'::json)`,
    })
    .from(cases)
    .where(eq(cases.caseNo, sql.placeholder('caseNo')))
    .prepare('public_case_by_no');
}

export async function findPublicCase(
  services: Pick<Services, 'database'>,
  caseNo: string,
): Promise<PublicCaseRow | null> {
  const db = services.database.db;
  let query = prepared.get(db);
  if (!query) prepared.set(db, (query = prepare(db)));
  const [row] = await query.execute({ caseNo });
  if (!row) return null;
  // json_agg gives the timestamps as ISO text (PGlite may already parse the JSON, PostgreSQL's driver too).
  const events = typeof row.events === 'string' ? (JSON.parse(row.events) as typeof row.events) : row.events;
  return { ...row, events: events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })) };
}

const caches = new WeakMap<Database, PublicCaseCache>();

export function publicCaseCacheOf(services: Pick<Services, 'database'>): PublicCaseCache {
  let cache = caches.get(services.database);
  if (!cache) caches.set(services.database, (cache = new PublicCaseCache(services.database)));
  return cache;
}

/**
 * The public view of a case as JSON text, from this instance's cache when it holds the answer
 * (dropped by any change to the case, on any instance), else from the database.
 */
export async function publicCaseAnswer(services: Services, caseNo: string): Promise<string | null> {
  const cache = publicCaseCacheOf(services);
  const places = await placeLookups(services);
  return cache.read(caseNo, [places.categories, places.areas], async () => {
    const kase = await findPublicCase(services, caseNo);
    return kase && { caseId: kase.id, json: JSON.stringify(publicCase(kase, kase.events, places)) };
  });
}
