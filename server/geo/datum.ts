import gcoordModule from 'gcoord';

// gcoord's CommonJS build, which Node loads, exports the library object itself; its typings call it `default`.
const gcoord = gcoordModule as unknown as (typeof gcoordModule)['default'];

/**
 * The one datum stored everywhere (cases, reports, areas, gazetteer): WGS-84 longitude/latitude.
 * CGCS2000, the datum of 天地图 and of official boundary data, differs from WGS-84 by well under
 * a metre, so it is stored as is. Anything else is converted here, at the edge it arrives from:
 * WeChat's and Tencent's location APIs and 高德 answer in GCJ-02, Baidu in BD-09.
 */
export const STORED_DATUM = 'wgs84' as const;

export const datums = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;
export type Datum = (typeof datums)[number];

export interface LatLng {
  lat: number;
  lng: number;
}

const crs = {
  wgs84: gcoord.WGS84,
  cgcs2000: gcoord.WGS84,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
} as const;

/** A point in `from` as the stored datum (WGS-84). */
export function toStored(p: LatLng, from: Datum): LatLng {
  return convert(p, from, STORED_DATUM);
}

/** A stored point as `to`, for a map or an API that expects another datum. */
export function fromStored(p: LatLng, to: Datum): LatLng {
  return convert(p, STORED_DATUM, to);
}

export function convert(p: LatLng, from: Datum, to: Datum): LatLng {
  if (crs[from] === crs[to]) return { lat: p.lat, lng: p.lng };
  const [lng, lat] = gcoord.transform([p.lng, p.lat], crs[from], crs[to]);
  return { lat, lng };
}
