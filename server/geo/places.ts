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

export function forgetGazetteer(database: Database): void {
  loaded.delete(database);
}

export interface PlacedProposal extends Proposal {
  grid: { id: number; name: string } | null;
  /** District → grid names of the place found. */
  areaNames: string[];
}

/** Addresses proposed for what was typed, each with the grid its point falls in. */
export async function searchPlaces(services: Services, q: string, limit = 5): Promise<PlacedProposal[]> {
  const [gazetteer, areas] = await Promise.all([gazetteerOf(services.database), services.areas()]);
  return gazetteer.search(q, limit).map((p) => {
    const placed = areas.locatePoint(p.lat, p.lng);
    const grid = placed?.gridId ? areas.get(placed.gridId) : undefined;
    return { ...p, grid: grid ? { id: grid.id, name: grid.name } : null, areaNames: placed?.names ?? [] };
  });
}

/** A point said as an address: the nearest named place, and the areas it lies in. */
export async function describePoint(services: Services, lat: number, lng: number) {
  const [gazetteer, areas] = await Promise.all([gazetteerOf(services.database), services.areas()]);
  const near = gazetteer.reverse(lat, lng);
  const placed = areas.locatePoint(lat, lng);
  return { label: near?.label ?? null, metres: near?.metres ?? null, areaNames: placed?.names ?? [] };
}
