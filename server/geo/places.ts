import type { Services } from '../context.js';
import type { Database } from '../db/client.js';
import { Gazetteer, type Proposal } from './gazetteer.js';

const loaded = new WeakMap<Database, Promise<Gazetteer>>();

/** The gazetteer of a database, loaded once per process (a restart picks up an import). */
export function gazetteerOf(database: Database): Promise<Gazetteer> {
  let g = loaded.get(database);
  if (!g) {
    g = Gazetteer.load(database.db).catch((e) => {
      loaded.delete(database);
      throw e;
    });
    loaded.set(database, g);
  }
  return g;
}

/** The gazetteer of the service's database. */
export const gazetteerFor = (services: Pick<Services, 'database'>) => gazetteerOf(services.database);

export function forgetGazetteer(database: Database): void {
  loaded.delete(database);
}

export interface PlacedProposal extends Proposal {
  grid: { id: number; name: string } | null;
  /** District → grid names of the place found. */
  areaNames: string[];
  /** Who found it: the city's own gazetteer, or the external geocoder (GEOCODER) when it had nothing good. */
  source: 'gazetteer' | 'tianditu' | 'amap';
}

/** Below this the gazetteer's best is a guess (a road alone, typos): the external geocoder is asked too. */
export const GOOD_MATCH = 0.7;
/** What a geocoder's answer scores: a fair match, below an exact 门牌 or crossing of our own. */
const GEOCODED_SCORE = 0.7;

/**
 * Addresses proposed for what was typed, each with the grid its point falls in: the gazetteer's,
 * then, when none is good, the external geocoder's answer if it lies inside the city's grids.
 */
export async function searchPlaces(services: Services, q: string, limit = 5): Promise<PlacedProposal[]> {
  const [gazetteer, areas] = await Promise.all([gazetteerOf(services.database), services.areas()]);
  const place = (p: Proposal, source: PlacedProposal['source']): PlacedProposal => {
    const placed = areas.locatePoint(p.lat, p.lng);
    const grid = placed?.gridId ? areas.get(placed.gridId) : undefined;
    return { ...p, grid: grid ? { id: grid.id, name: grid.name } : null, areaNames: placed?.names ?? [], source };
  };
  const found = gazetteer.search(q, limit).map((p) => place(p, 'gazetteer'));
  if (!services.geocoder || (found[0]?.score ?? 0) >= GOOD_MATCH) return found;
  const hit = await services.geocoder.geocode(q);
  // A nationwide service may find a road of the same name in another city: only places in ours count.
  const outside = !hit || !areas.locatePoint(hit.lat, hit.lng);
  if (outside) return found;
  const geocoded = place({ ...hit, score: GEOCODED_SCORE }, services.geocoder.name);
  return [geocoded, ...found].slice(0, limit);
}

/** A point said as an address: the nearest named place, and the areas it lies in. */
export async function describePoint(services: Services, lat: number, lng: number) {
  const [gazetteer, areas] = await Promise.all([gazetteerOf(services.database), services.areas()]);
  const near = gazetteer.reverse(lat, lng);
  const placed = areas.locatePoint(lat, lng);
  const grid = placed?.gridId ? areas.get(placed.gridId) : undefined;
  return {
    label: near?.label ?? null,
    metres: near?.metres ?? null,
    areaNames: placed?.names ?? [],
    grid: grid ? { id: grid.id, name: grid.name } : null,
  };
}
