import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { AreaLevel } from '../db/schema.js';

export type Ring = number[][];
/** An area's outline, as GeoJSON. */
export type Geometry = Polygon | MultiPolygon;

export interface AreaInput {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  geometry: Geometry;
  aliases: string[];
}

export interface Checked {
  areas: AreaInput[];
  /** Refuse the file: each names the feature. */
  errors: string[];
  /** Reported, not refused: gaps between children. */
  warnings: string[];
}

const levels: AreaLevel[] = ['district', 'street', 'community', 'grid'];
const levelNames: Record<string, AreaLevel> = {
  district: 'district',
  street: 'street',
  community: 'community',
  grid: 'grid',
  区: 'district',
  区县: 'district',
  街道: 'street',
  乡镇: 'street',
  社区: 'community',
  村: 'community',
  网格: 'grid',
};
const levelLabel: Record<AreaLevel, string> = { district: '区', street: '街道', community: '社区', grid: '网格' };

const polygons = (g: Geometry): Ring[][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const same = (a: number[], b: number[]) => a[0] === b[0] && a[1] === b[1];

/** Planar area in degrees², scaled by cos(latitude): enough to compare children with their parent. */
function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  const k = Math.cos(((ring[0]?.[1] ?? 0) * Math.PI) / 180);
  return (Math.abs(a) / 2) * k;
}
const areaOf = (g: Geometry) =>
  polygons(g).reduce((s, rings) => s + ringArea(rings[0]) - rings.slice(1).reduce((h, r) => h + ringArea(r), 0), 0);

/** [west, south, east, north] of the outer rings. */
export function bbox(g: Geometry): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons(g))
    for (const [x, y] of rings[0]) [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  return [w, s, e, n];
}

/** Points that stand for a polygon's inside: its vertices and the middles of its edges. */
function probes(g: Geometry): number[][] {
  const out: number[][] = [];
  for (const rings of polygons(g))
    for (let i = 0; i + 1 < rings[0].length; i++) {
      const [a, b] = [rings[0][i], rings[0][i + 1]];
      out.push(a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
    }
  return out;
}

/** Inside or on the boundary, give or take a metre: shared borders digitised twice rarely agree exactly. */
function within(p: number[], g: Geometry): boolean {
  const d = 1e-5;
  return [
    [0, 0],
    [d, 0],
    [-d, 0],
    [0, d],
    [0, -d],
  ].some(([dx, dy]) => booleanPointInPolygon([p[0] + dx, p[1] + dy], g));
}

/** True when some of `a` lies strictly inside `b`, or they are the same shape. */
function overlaps(a: Geometry, b: Geometry): boolean {
  const [aw, as, ae, an] = bbox(a);
  const [bw, bs, be, bn] = bbox(b);
  if (aw >= be || bw >= ae || as >= bn || bs >= an) return false;
  const strictlyIn = (p: number[], g: Geometry) => booleanPointInPolygon(p, g, { ignoreBoundary: true });
  if (probes(a).some((p) => strictlyIn(p, b)) || probes(b).some((p) => strictlyIn(p, a))) return true;
  // Identical outlines share every probe on the boundary: compare the middles of their boxes.
  const mid = [(aw + ae) / 2, (as + an) / 2];
  return strictlyIn(mid, a) && strictlyIn(mid, b);
}

/**
 * A city's area file checked before anything is written: each feature's properties and rings, its
 * parent one level up and containing it, siblings not overlapping, and gaps between children named.
 */
export function checkAreas(collection: unknown): Checked {
  const errors: string[] = [];
  const warnings: string[] = [];
  const areas: AreaInput[] = [];
  // Codes of features refused on their own: their children are not also blamed for a missing parent.
  const refused = new Set<string>();
  const fc = collection as { type?: string; features?: unknown[] };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    return { areas, errors: ['文件不是 GeoJSON FeatureCollection'], warnings };

  fc.features.forEach((raw, i) => {
    const f = raw as { properties?: Record<string, unknown>; geometry?: Geometry };
    const p = f?.properties ?? {};
    const name = typeof p.name === 'string' ? p.name.trim() : '';
    const label = name ? `「${name}」` : `第 ${i + 1} 个要素`;
    const code = typeof p.code === 'string' || typeof p.code === 'number' ? String(p.code).trim() : '';
    const level = levelNames[String(p.level ?? '').trim()];
    const parentCode = p.parent == null || p.parent === '' ? null : String(p.parent).trim();
    const problems: string[] = [];
    if (!name) problems.push('缺少 name');
    if (!code) problems.push('缺少 code');
    if (!level)
      problems.push(`level 应为 区/街道/社区/网格（district/street/community/grid），而不是「${p.level ?? ''}」`);
    const g = f?.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates))
      problems.push('几何应为 Polygon 或 MultiPolygon');
    else
      polygons(g).forEach((rings, pi) =>
        (Array.isArray(rings) ? rings : []).forEach((ring, ri) => {
          const where = `${g.type === 'MultiPolygon' ? `第 ${pi + 1} 个多边形的` : ''}第 ${ri + 1} 个环`;
          if (!Array.isArray(ring) || ring.length < 4) return problems.push(`${where}少于 4 个点`);
          if (ring.some((c) => !Array.isArray(c) || !Number.isFinite(c[0]) || !Number.isFinite(c[1])))
            return problems.push(`${where}有无效坐标`);
          if (ring.some(([x, y]) => x < -180 || x > 180 || y < -90 || y > 90))
            return problems.push(`${where}的坐标超出经纬度范围（应为 WGS-84/CGCS2000 经度、纬度）`);
          if (!same(ring[0], ring[ring.length - 1])) problems.push(`${where}未闭合（首尾坐标不同）`);
        }),
      );
    if (problems.length) {
      if (code) refused.add(code);
      return errors.push(`${label}${code ? `（${code}）` : ''}：${problems.join('；')}`);
    }
    const aliases = Array.isArray(p.aliases) ? p.aliases.map(String).filter(Boolean) : [];
    areas.push({ code, name, level: level!, parentCode, geometry: g!, aliases });
  });

  const byCode = new Map<string, AreaInput>();
  for (const a of areas) {
    if (byCode.has(a.code)) errors.push(`「${a.name}」（${a.code}）：code 与「${byCode.get(a.code)!.name}」重复`);
    byCode.set(a.code, a);
  }
  if (!areas.some((a) => a.level === 'grid')) errors.push('文件中没有网格（level=网格）');

  const children = new Map<string, AreaInput[]>();
  for (const a of areas) {
    const want = levels[levels.indexOf(a.level) - 1];
    if (!want) {
      if (a.parentCode) errors.push(`「${a.name}」（${a.code}）：区不应有上级`);
      continue;
    }
    const parent = a.parentCode ? byCode.get(a.parentCode) : undefined;
    if (!parent) {
      if (a.parentCode && refused.has(a.parentCode)) continue;
      errors.push(`「${a.name}」（${a.code}）：上级 ${a.parentCode ?? '（未填 parent）'} 不存在`);
      continue;
    }
    if (parent.level !== want) {
      errors.push(
        `「${a.name}」（${a.code}）：${levelLabel[a.level]}的上级应是${levelLabel[want]}，「${parent.name}」是${levelLabel[parent.level]}`,
      );
      continue;
    }
    const outside = probes(a.geometry).filter((pt) => !within(pt, parent.geometry)).length;
    if (outside) errors.push(`「${a.name}」（${a.code}）：有 ${outside} 处边界点在上级「${parent.name}」之外`);
    children.set(parent.code, [...(children.get(parent.code) ?? []), a]);
  }

  for (const [parentCode, kids] of children) {
    const parent = byCode.get(parentCode)!;
    for (let i = 0; i < kids.length; i++)
      for (let j = i + 1; j < kids.length; j++)
        if (overlaps(kids[i].geometry, kids[j].geometry))
          errors.push(`「${kids[i].name}」（${kids[i].code}）与「${kids[j].name}」（${kids[j].code}）重叠`);
    const covered = kids.reduce((s, k) => s + areaOf(k.geometry), 0) / areaOf(parent.geometry);
    if (covered < 0.999)
      warnings.push(`「${parent.name}」（${parent.code}）：下级只覆盖了 ${(covered * 100).toFixed(1)}%，有空隙`);
  }
  return { areas, errors, warnings };
}
