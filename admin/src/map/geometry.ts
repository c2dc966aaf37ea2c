import type { GridFeature, Position } from '../api/types';

/** Outer rings of a feature, one per polygon. */
export function outerRings(feature: GridFeature): Position[][] {
  const g = feature.geometry;
  if (!g) return [];
  return g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
}

function ringAreaAndCentroid(ring: Position[]): { area: number; lng: number; lat: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  a /= 2;
  if (Math.abs(a) < 1e-12) {
    // Degenerate ring: fall back to the mean of its vertices.
    const n = Math.max(ring.length, 1);
    return { area: 0, lng: ring.reduce((s, p) => s + p[0], 0) / n, lat: ring.reduce((s, p) => s + p[1], 0) / n };
  }
  return { area: Math.abs(a), lng: cx / (6 * a), lat: cy / (6 * a) };
}

/** Centroid (lng/lat) of the largest polygon: the point a click on a grid cell stands for. */
export function centroid(feature: GridFeature): { lat: number; lng: number } {
  const rings = outerRings(feature).map(ringAreaAndCentroid);
  const best = rings.sort((x, y) => y.area - x.area)[0] ?? { lat: 0, lng: 0 };
  return { lat: round6(best.lat), lng: round6(best.lng) };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export interface Projection {
  width: number;
  height: number;
  project: (p: Position) => [number, number];
  /** From drawing units back to [lng, lat]: where on the ground a click fell. */
  invert: (xy: [number, number]) => Position;
}

/**
 * Equirectangular projection scaled by cos(latitude): at the size of a district the error
 * is invisible, and it needs no map library and no tiles.
 */
export function fitProjection(features: GridFeature[], width: number, padding = 8): Projection {
  let west = Infinity;
  let east = -Infinity;
  let south = Infinity;
  let north = -Infinity;
  for (const f of features)
    for (const ring of outerRings(f))
      for (const [lng, lat] of ring) {
        west = Math.min(west, lng);
        east = Math.max(east, lng);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
  if (!Number.isFinite(west)) return { width, height: width / 2, project: () => [0, 0], invert: () => [0, 0] };
  const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = Math.max((east - west) * k, 1e-9);
  const spanY = Math.max(north - south, 1e-9);
  const scale = (width - 2 * padding) / spanX;
  const height = spanY * scale + 2 * padding;
  return {
    width,
    height,
    project: ([lng, lat]) => [padding + (lng - west) * k * scale, padding + (north - lat) * scale],
    invert: ([x, y]) => [round6(west + (x - padding) / (k * scale)), round6(north - (y - padding) / scale)],
  };
}

export function pathOf(feature: GridFeature, projection: Projection): string {
  const polygons =
    feature.geometry?.type === 'Polygon' ? [feature.geometry.coordinates] : (feature.geometry?.coordinates ?? []);
  return (polygons as Position[][][])
    .flatMap((rings) =>
      rings.map(
        (ring) =>
          ring
            .map((p, i) => {
              const [x, y] = projection.project(p);
              return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
            })
            .join('') + 'Z',
      ),
    )
    .join('');
}

/** Five colour steps from pale to deep red; 0 keeps its own neutral colour. */
export const RAMP = ['#f0f0f0', '#fde0c5', '#facba6', '#f59e72', '#e8603c', '#c0392b'];

export function colourFor(value: number, max: number): string {
  if (value <= 0 || max <= 0) return RAMP[0];
  const step = Math.min(RAMP.length - 1, Math.ceil((value / max) * (RAMP.length - 1)));
  return RAMP[step];
}

/** Upper bounds of each step, for the legend. */
export function legendSteps(max: number): Array<{ colour: string; from: number; to: number }> {
  const steps = [{ colour: RAMP[0], from: 0, to: 0 }];
  if (max <= 0) return steps;
  const n = RAMP.length - 1;
  for (let i = 1; i <= n; i++) {
    const from = Math.floor(((i - 1) / n) * max) + 1;
    const to = Math.floor((i / n) * max);
    if (to >= from) steps.push({ colour: RAMP[i], from, to });
  }
  return steps;
}

function inRing(ring: Position[], lng: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The cell a point falls in (holes respected), or undefined outside every cell. */
export function cellAt(features: GridFeature[], p: { lat: number; lng: number }): GridFeature | undefined {
  return features.find((f) => {
    const g = f.geometry;
    if (!g) return false;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    return polygons.some(
      (rings) => inRing(rings[0], p.lng, p.lat) && !rings.slice(1).some((hole) => inRing(hole, p.lng, p.lat)),
    );
  });
}
