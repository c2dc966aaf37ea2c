import type { Db } from '../db/client.js';
import { gazetteerEntries, gazetteerKinds, type GazetteerKind } from '../db/schema.js';
import { toStored, type Datum } from './datum.js';
import type { GazetteerEntry } from './gazetteer.js';

export interface ParsedGazetteer {
  entries: GazetteerEntry[];
  errors: string[];
}

const kindNames: Record<string, GazetteerKind> = {
  ...Object.fromEntries(gazetteerKinds.map((k) => [k, k])),
  道路: 'road',
  门牌: 'house',
  兴趣点: 'poi',
  地点: 'poi',
  社区: 'community',
  地标: 'landmark',
};

function entryOf(
  p: Record<string, unknown>,
  at: { lat: number; lng: number },
  line: number[][] | null,
  label: string,
  datum: Datum,
): GazetteerEntry | string {
  const name = String(p.name ?? '').trim();
  const kind = kindNames[String(p.kind ?? '').trim()];
  if (!name) return `${label}：缺少 name`;
  if (!kind) return `${label}「${name}」：kind 应为 road/house/poi/community/landmark`;
  if (!Number.isFinite(at.lat) || !Number.isFinite(at.lng) || Math.abs(at.lat) > 90 || Math.abs(at.lng) > 180)
    return `${label}「${name}」：坐标无效`;
  if ((kind === 'road' || kind === 'house') && !line) return `${label}「${name}」：道路和门牌段须为 LineString`;
  const from = p.from == null || p.from === '' ? null : Number(p.from);
  const to = p.to == null || p.to === '' ? null : Number(p.to);
  if (kind === 'house' && (!p.road || !Number.isInteger(from) || !Number.isInteger(to) || from! > to!))
    return `${label}「${name}」：门牌段须有 road、from ≤ to（整数）`;
  const point = toStored(at, datum);
  const stored = line?.map(([lng, lat]) => {
    const q = toStored({ lat, lng }, datum);
    return [q.lng, q.lat];
  });
  const aliases = Array.isArray(p.aliases) ? p.aliases : String(p.aliases ?? '').split('|');
  return {
    kind,
    name,
    aliases: aliases.map((a) => String(a).trim()).filter(Boolean),
    lat: point.lat,
    lng: point.lng,
    geometry: stored ? { type: 'LineString', coordinates: stored } : null,
    road: p.road ? String(p.road) : null,
    houseFrom: kind === 'house' ? from : null,
    houseTo: kind === 'house' ? to : null,
    parity:
      kind === 'house'
        ? ((['odd', 'even'].includes(String(p.parity)) ? p.parity : 'all') as 'odd' | 'even' | 'all')
        : null,
  };
}

/** GeoJSON: Point features for places, LineString for roads and 门牌 ranges (properties kind, name, road, from, to, parity). */
export function parseGeoJson(text: string, datum: Datum = 'wgs84'): ParsedGazetteer {
  const out: ParsedGazetteer = { entries: [], errors: [] };
  const fc = JSON.parse(text) as {
    features?: Array<{
      properties?: Record<string, unknown>;
      geometry?: { type?: unknown; coordinates?: unknown } | null;
    }>;
  };
  (fc.features ?? []).forEach((f, i) => {
    const g = f.geometry;
    const line = g?.type === 'LineString' ? (g.coordinates as number[][]) : null;
    const mid = line
      ? line[Math.floor(line.length / 2)]
      : g?.type === 'Point'
        ? (g.coordinates as number[])
        : [NaN, NaN];
    const e = entryOf(
      f.properties ?? {},
      { lng: Number(mid[0]), lat: Number(mid[1]) },
      line,
      `第 ${i + 1} 个要素`,
      datum,
    );
    if (typeof e === 'string') out.errors.push(e);
    else out.entries.push(e);
  });
  return out;
}

/** CSV with a header row: kind,name,lat,lng[,aliases] (aliases separated by |); places only. */
export function parseCsv(text: string, datum: Datum = 'wgs84'): ParsedGazetteer {
  const out: ParsedGazetteer = { entries: [], errors: [] };
  const [head, ...rows] = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const cols = (head ?? '').split(',').map((c) => c.trim());
  rows.forEach((row, i) => {
    const cells = row.split(',');
    const p = Object.fromEntries(cols.map((c, j) => [c, cells[j]?.trim() ?? '']));
    const e = entryOf(p, { lat: Number(p.lat), lng: Number(p.lng) }, null, `第 ${i + 2} 行`, datum);
    if (typeof e === 'string') out.errors.push(e);
    else out.entries.push(e);
  });
  return out;
}

/** Replaces the gazetteer in one transaction. */
export async function replaceGazetteer(db: Db, entries: GazetteerEntry[], source: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.delete(gazetteerEntries);
    for (let i = 0; i < entries.length; i += 500)
      await tx.insert(gazetteerEntries).values(entries.slice(i, i + 500).map((e) => ({ ...e, source })));
    return entries.length;
  });
}
