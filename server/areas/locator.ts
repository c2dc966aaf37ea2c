import Flatbush from 'flatbush';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Db } from '../db/client.js';
import { areas, type AreaLevel } from '../db/schema.js';
import { bbox, type Geometry } from './validate.js';

export interface AreaRef {
  id: number;
  code: string;
  name: string;
  level: AreaLevel;
  parentId: number | null;
}

export interface Placement {
  gridId: number | null;
  communityId: number | null;
  streetId: number | null;
  districtId: number | null;
  /** How the place was found: a point inside a grid cell, or a name in the address. */
  method: 'point' | 'address' | 'none';
  /** Names from the district down to the most precise level found. */
  names: string[];
}

const levelKey: Record<AreaLevel, keyof Pick<Placement, 'gridId' | 'communityId' | 'streetId' | 'districtId'>> = {
  grid: 'gridId',
  community: 'communityId',
  street: 'streetId',
  district: 'districtId',
};

const empty = (): Placement => ({
  gridId: null,
  communityId: null,
  streetId: null,
  districtId: null,
  method: 'none',
  names: [],
});

/**
 * Point-in-polygon over the grid cells, with a Flatbush index on their boxes so
 * a lookup tests only the few cells whose box holds the point.
 */
export class AreaLocator {
  private readonly byId = new Map<number, AreaRef>();
  private readonly grids: Array<{ ref: AreaRef; geometry: Geometry }> = [];
  private readonly index: Flatbush | null;
  private readonly names: Array<{ text: string; ref: AreaRef }> = [];

  constructor(rows: Array<AreaRef & { geometry: Geometry | null; aliases: string[] }>) {
    for (const r of rows) {
      const ref: AreaRef = { id: r.id, code: r.code, name: r.name, level: r.level, parentId: r.parentId };
      this.byId.set(r.id, ref);
      if (r.level === 'grid' && r.geometry) this.grids.push({ ref, geometry: r.geometry });
      if (r.level === 'street' || r.level === 'community') {
        for (const text of [r.name, ...r.aliases]) if (text.length >= 2) this.names.push({ text, ref });
      }
    }
    // Longest names first, and community before street at equal length: the most precise match wins.
    this.names.sort((a, b) => b.text.length - a.text.length || (a.ref.level === 'community' ? -1 : 1));
    if (this.grids.length) {
      this.index = new Flatbush(this.grids.length);
      for (const g of this.grids) {
        const [minX, minY, maxX, maxY] = bbox(g.geometry);
        this.index.add(minX, minY, maxX, maxY);
      }
      this.index.finish();
    } else {
      this.index = null;
    }
  }

  static async load(db: Db): Promise<AreaLocator> {
    const rows = await db.select().from(areas);
    return new AreaLocator(rows);
  }

  get(id: number | null | undefined): AreaRef | undefined {
    return id == null ? undefined : this.byId.get(id);
  }

  /** The area and its ancestors, most precise first. */
  chain(id: number | null | undefined): AreaRef[] {
    const out: AreaRef[] = [];
    let cur = this.get(id);
    while (cur) {
      out.push(cur);
      cur = this.get(cur.parentId);
    }
    return out;
  }

  private placementOf(ref: AreaRef, method: Placement['method']): Placement {
    const p = empty();
    p.method = method;
    const chain = this.chain(ref.id);
    for (const a of chain) p[levelKey[a.level]] = a.id;
    p.names = chain.map((a) => a.name).reverse();
    return p;
  }

  locatePoint(lat: number, lng: number): Placement | null {
    if (!this.index) return null;
    for (const i of this.index.search(lng, lat, lng, lat)) {
      const g = this.grids[i];
      if (booleanPointInPolygon([lng, lat], g.geometry)) return this.placementOf(g.ref, 'point');
    }
    return null;
  }

  /** The street and community names (and aliases) found in a text, most precise first. */
  namesIn(text: string): string[] {
    return this.names.filter((n) => text.includes(n.text)).map((n) => n.text);
  }

  locateAddress(address: string): Placement | null {
    const hit = this.names.find((n) => address.includes(n.text));
    return hit ? this.placementOf(hit.ref, 'address') : null;
  }

  locate(input: { lat?: number | null; lng?: number | null; address?: string | null }): Placement {
    if (input.lat != null && input.lng != null) {
      const p = this.locatePoint(input.lat, input.lng);
      if (p) return p;
    }
    if (input.address) {
      const p = this.locateAddress(input.address);
      if (p) return p;
    }
    return empty();
  }
}
