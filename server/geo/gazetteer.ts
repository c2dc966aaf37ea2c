import type { Db } from '../db/client.js';
import { gazetteerEntries, type GazetteerKind } from '../db/schema.js';
import { fuzzyFind, normalizeAddress } from './normalize.js';

export interface GazetteerEntry {
  id?: number;
  kind: GazetteerKind;
  name: string;
  aliases: string[];
  lat: number;
  lng: number;
  geometry?: { type: 'LineString'; coordinates: number[][] } | null;
  road?: string | null;
  houseFrom?: number | null;
  houseTo?: number | null;
  parity?: 'odd' | 'even' | 'all' | null;
}

export type Precision = 'house' | 'intersection' | 'poi' | 'landmark' | 'community' | 'road';

export interface Proposal {
  label: string;
  precision: Precision;
  lat: number;
  lng: number;
  /** 0–1: exact house numbers and intersections highest, a road alone lowest, less per typo. */
  score: number;
}

interface Hit {
  entry: GazetteerEntry;
  start: number;
  end: number;
  distance: number;
}

const base: Record<Exclude<Precision, 'house' | 'intersection'>, number> = {
  poi: 0.9,
  landmark: 0.9,
  community: 0.8,
  road: 0.6,
};
const crossing = /与|和|跟|同|交叉|路口|交口|十字|&|\//;
const houseNumber = /^(\d+)(号|弄|巷|栋|幢)?/;

/** Typos allowed in a name: none in two characters, one in three or four, two from seven. */
const typosFor = (name: string) => (name.length >= 7 ? 2 : name.length >= 3 ? 1 : 0);

/**
 * The city's places in memory (a few thousand rows at most for a district), matched against an
 * address as typed or spoken: exact names first, then names with a typo, then 门牌 numbers along the
 * road found and crossings of two roads.
 */
export class Gazetteer {
  private readonly named: Array<{ entry: GazetteerEntry; text: string }> = [];
  private readonly houses = new Map<string, GazetteerEntry[]>();
  readonly size: number;

  constructor(readonly entries: GazetteerEntry[]) {
    this.size = entries.length;
    for (const e of entries) {
      if (e.kind === 'house') {
        const key = normalizeAddress(e.road ?? e.name);
        this.houses.set(key, [...(this.houses.get(key) ?? []), e]);
        continue;
      }
      for (const n of new Set([e.name, ...e.aliases].map(normalizeAddress)))
        if (n.length >= 2) this.named.push({ entry: e, text: n });
    }
    this.named.sort((a, b) => b.text.length - a.text.length);
  }

  static async load(db: Db): Promise<Gazetteer> {
    return new Gazetteer((await db.select().from(gazetteerEntries)) as GazetteerEntry[]);
  }

  search(query: string, limit = 5): Proposal[] {
    const text = normalizeAddress(query);
    if (text.length < 2) return [];
    const hits = this.hits(text);
    const out: Proposal[] = [];
    const roads = hits.filter((h) => h.entry.kind === 'road');
    if (roads.length >= 2 && crossing.test(text)) {
      const [a, b] = roads;
      const at = crossingOf(a.entry, b.entry);
      if (at)
        out.push({
          label: `${a.entry.name}与${b.entry.name}交叉口`,
          precision: 'intersection',
          ...at,
          score: 0.97 - 0.1 * (a.distance + b.distance),
        });
    }
    for (const r of roads) {
      const m = houseNumber.exec(text.slice(r.end));
      if (!m) continue;
      const at = this.house(r.entry.name, Number(m[1]));
      if (at)
        out.push({
          label: `${r.entry.name}${m[1]}${m[2] ?? '号'}`,
          precision: 'house',
          lat: at.lat,
          lng: at.lng,
          score: (at.exact ? 0.96 : 0.75) - 0.1 * r.distance,
        });
    }
    for (const h of hits) {
      const kind = h.entry.kind as keyof typeof base;
      // A longer name that matched is more specific: 望江公园 over 望江.
      const score = base[kind] - 0.1 * h.distance + Math.min(h.end - h.start, 10) * 0.002;
      out.push({ label: h.entry.name, precision: kind, lat: h.entry.lat, lng: h.entry.lng, score });
    }
    const seen = new Set<string>();
    return out
      .sort((x, y) => y.score - x.score)
      .filter((p) => !seen.has(p.label) && seen.add(p.label))
      .slice(0, limit)
      .map((p) => ({ ...p, score: Math.round(p.score * 100) / 100 }));
  }

  /** The nearest named place to a point, as a citizen would say it: 「东湖路12号附近」. */
  reverse(lat: number, lng: number): { label: string; metres: number } | null {
    let best: { label: string; metres: number } | null = null;
    const consider = (label: string, metres: number, within: number) => {
      if (metres <= within && (!best || metres < best.metres)) best = { label, metres: Math.round(metres) };
    };
    for (const e of this.entries) {
      if (e.kind === 'poi' || e.kind === 'landmark')
        consider(`${e.name}附近`, metresBetween(lat, lng, e.lat, e.lng), 80);
      if (e.kind === 'house' && e.geometry && e.houseFrom != null && e.houseTo != null) {
        const near = nearestOnLine(e.geometry.coordinates, lat, lng);
        const step = e.parity === 'all' ? 1 : 2;
        const n = e.houseFrom + Math.round((near.t * (e.houseTo - e.houseFrom)) / step) * step;
        consider(`${e.road ?? e.name}${n}号附近`, near.metres, 150);
      }
    }
    if (best) return best;
    for (const e of this.entries)
      if (e.kind === 'road' && e.geometry)
        consider(`${e.name}附近`, nearestOnLine(e.geometry.coordinates, lat, lng).metres, 400);
    return best;
  }

  private hits(text: string): Hit[] {
    const exact: Hit[] = [];
    const taken = new Set<GazetteerEntry>();
    const covered: Array<[number, number]> = [];
    const overlaps = (s: number, e: number) => covered.some(([a, b]) => s < b && e > a);
    for (const n of this.named) {
      const at = text.indexOf(n.text);
      if (at < 0 || taken.has(n.entry) || overlaps(at, at + n.text.length)) continue;
      exact.push({ entry: n.entry, start: at, end: at + n.text.length, distance: 0 });
      taken.add(n.entry);
      covered.push([at, at + n.text.length]);
    }
    const fuzzy: Hit[] = [];
    for (const n of this.named) {
      if (taken.has(n.entry)) continue;
      const found = fuzzyFind(text, n.text, typosFor(n.text));
      if (!found || found.distance === 0 || overlaps(found.start, found.end)) continue;
      fuzzy.push({ entry: n.entry, ...found });
      taken.add(n.entry);
    }
    // Keep the fuzzy names that do not fight each other for the same characters, fewest typos first.
    fuzzy.sort((a, b) => a.distance - b.distance || b.end - b.start - (a.end - a.start));
    for (const h of fuzzy) {
      if (overlaps(h.start, h.end)) continue;
      exact.push(h);
      covered.push([h.start, h.end]);
    }
    return exact.sort((a, b) => a.start - b.start);
  }

  private house(road: string, n: number): { lat: number; lng: number; exact: boolean } | null {
    const ranges = (this.houses.get(normalizeAddress(road)) ?? []).filter(
      (r) => r.geometry && r.houseFrom != null && r.houseTo != null,
    );
    const fits = (r: GazetteerEntry) => r.parity === 'all' || !r.parity || (r.parity === 'odd') === (n % 2 === 1);
    const inside = ranges.find((r) => fits(r) && n >= r.houseFrom! && n <= r.houseTo!);
    const range = inside ?? ranges.find(fits);
    if (!range) return null;
    const t = Math.min(1, Math.max(0, (n - range.houseFrom!) / Math.max(1, range.houseTo! - range.houseFrom!)));
    return { ...along(range.geometry!.coordinates, t), exact: !!inside };
  }
}

const M_PER_DEG_LAT = 110_574;
const mPerDegLng = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);

export function metresBetween(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dx = (lng2 - lng1) * mPerDegLng((lat1 + lat2) / 2);
  const dy = (lat2 - lat1) * M_PER_DEG_LAT;
  return Math.hypot(dx, dy);
}

/** The point a fraction `t` of the way along a line, by length. */
export function along(line: number[][], t: number): { lat: number; lng: number } {
  const lengths = line.slice(1).map((p, i) => metresBetween(line[i][1], line[i][0], p[1], p[0]));
  let left = t * lengths.reduce((s, l) => s + l, 0);
  for (let i = 0; i < lengths.length; i++) {
    if (left <= lengths[i] || i === lengths.length - 1) {
      const f = lengths[i] ? Math.min(1, left / lengths[i]) : 0;
      const [a, b] = [line[i], line[i + 1]];
      return { lng: a[0] + (b[0] - a[0]) * f, lat: a[1] + (b[1] - a[1]) * f };
    }
    left -= lengths[i];
  }
  return { lng: line[0][0], lat: line[0][1] };
}

function nearestOnLine(line: number[][], lat: number, lng: number): { metres: number; t: number } {
  const kx = mPerDegLng(lat);
  const xy = line.map(([x, y]) => [(x - lng) * kx, (y - lat) * M_PER_DEG_LAT]);
  const lengths = xy.slice(1).map((p, i) => Math.hypot(p[0] - xy[i][0], p[1] - xy[i][1]));
  const total = lengths.reduce((s, l) => s + l, 0) || 1;
  let best = { metres: Infinity, t: 0 };
  let before = 0;
  for (let i = 0; i < lengths.length; i++) {
    const [ax, ay] = xy[i];
    const [bx, by] = xy[i + 1];
    const len2 = lengths[i] ** 2 || 1;
    const f = Math.min(1, Math.max(0, -(ax * (bx - ax) + ay * (by - ay)) / len2));
    const d = Math.hypot(ax + f * (bx - ax), ay + f * (by - ay));
    if (d < best.metres) best = { metres: d, t: (before + f * lengths[i]) / total };
    before += lengths[i];
  }
  return best;
}

/** Where two roads cross: the first intersection of their segments, or null if they never meet. */
function crossingOf(a: GazetteerEntry, b: GazetteerEntry): { lat: number; lng: number } | null {
  const la = a.geometry?.coordinates;
  const lb = b.geometry?.coordinates;
  if (!la || !lb) return null;
  for (let i = 0; i + 1 < la.length; i++)
    for (let j = 0; j + 1 < lb.length; j++) {
      const [p, p2, q, q2] = [la[i], la[i + 1], lb[j], lb[j + 1]];
      const r = [p2[0] - p[0], p2[1] - p[1]];
      const s = [q2[0] - q[0], q2[1] - q[1]];
      const denom = r[0] * s[1] - r[1] * s[0];
      if (Math.abs(denom) < 1e-15) continue;
      const t = ((q[0] - p[0]) * s[1] - (q[1] - p[1]) * s[0]) / denom;
      const u = ((q[0] - p[0]) * r[1] - (q[1] - p[1]) * r[0]) / denom;
      if (t >= 0 && t <= 1 && u >= 0 && u <= 1) return { lng: p[0] + t * r[0], lat: p[1] + t * r[1] };
    }
  return null;
}
