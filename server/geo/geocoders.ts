import { z } from 'zod';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { toStored, type Datum, type LatLng } from './datum.js';
import type { Precision } from './gazetteer.js';

/** What an external geocoder found for an address: in the stored datum, with the provider's level. */
export interface GeocodedPlace extends LatLng {
  label: string;
  precision: Precision;
}

/** An address service beyond our own gazetteer; asked only when the gazetteer has no good match. */
export interface Geocoder {
  readonly name: 'tianditu' | 'amap';
  geocode(address: string): Promise<GeocodedPlace | null>;
}

interface Options {
  baseUrl: string;
  key: string;
  /** The city the service covers: 高德's `city` filter; put before a 天地图 keyword that lacks it. */
  city: string;
  timeoutMs: number;
  log: Logger;
}

/** Both providers' levels (天地图 level, 高德 level) as the gazetteer's precisions. */
function precisionOf(level: string): Precision {
  if (/门址|门牌/.test(level)) return 'house';
  if (/交叉|路口/.test(level)) return 'intersection';
  if (/道路|街道/.test(level)) return 'road';
  if (/小区|社区|村庄/.test(level)) return 'community';
  return 'poi';
}

// The documented answers, only the fields we read. 天地图 answers status "0" when it found the place;
// 高德 answers status "1" and a "lng,lat" string per geocode.
const tiandituAnswer = z.object({
  status: z.string(),
  location: z.object({ lon: z.coerce.number(), lat: z.coerce.number(), level: z.string().default('') }).optional(),
});
const amapAnswer = z.object({
  status: z.string(),
  geocodes: z
    .array(
      z.object({
        formatted_address: z.union([z.string(), z.array(z.string())]).optional(),
        location: z.string().regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/),
        level: z.string().default(''),
      }),
    )
    .default([]),
});

async function getJson(url: URL, o: Options, provider: string): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.json();
  } catch (err) {
    // The key is in the URL: log the provider and the failure, never the URL.
    o.log.warn({ provider, err: (err as Error).message }, 'geocoder unavailable; the gazetteer answers alone');
    return null;
  }
}

function placed(p: LatLng, from: Datum, label: string, level: string): GeocodedPlace | null {
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.lng)) return null;
  return { ...toStored(p, from), label, precision: precisionOf(level) };
}

/** 天地图 地理编码 (geocoder?ds={"keyWord":…}&tk=): CGCS2000, stored as is (within a metre of WGS-84). */
export function tiandituGeocoder(o: Options): Geocoder {
  return {
    name: 'tianditu',
    async geocode(address) {
      const keyWord = o.city && !address.includes(o.city) ? `${o.city}${address}` : address;
      const url = new URL(o.baseUrl);
      url.searchParams.set('ds', JSON.stringify({ keyWord }));
      url.searchParams.set('tk', o.key);
      const body = tiandituAnswer.safeParse(await getJson(url, o, 'tianditu'));
      if (!body.success || body.data.status !== '0' || !body.data.location) return null;
      const { lon, lat, level } = body.data.location;
      return placed({ lat, lng: lon }, 'cgcs2000', address, level);
    },
  };
}

/** 高德 Web 服务 地理编码 (/v3/geocode/geo?address=&key=&city=): GCJ-02, converted to WGS-84 here. */
export function amapGeocoder(o: Options): Geocoder {
  return {
    name: 'amap',
    async geocode(address) {
      const url = new URL(o.baseUrl);
      url.searchParams.set('address', address);
      url.searchParams.set('key', o.key);
      if (o.city) url.searchParams.set('city', o.city);
      url.searchParams.set('output', 'JSON');
      const body = amapAnswer.safeParse(await getJson(url, o, 'amap'));
      if (!body.success || body.data.status !== '1' || !body.data.geocodes[0]) return null;
      const g = body.data.geocodes[0];
      const [lng, lat] = g.location.split(',').map(Number);
      const label = typeof g.formatted_address === 'string' && g.formatted_address ? g.formatted_address : address;
      return placed({ lat, lng }, 'gcj02', label, g.level);
    },
  };
}

export const defaultGeocoderUrls = {
  tianditu: 'https://api.tianditu.gov.cn/geocoder',
  amap: 'https://restapi.amap.com/v3/geocode/geo',
} as const;

/** The geocoder GEOCODER names, or null (off: addresses are the gazetteer's alone, nothing leaves the service). */
export function geocoderFrom(config: Config, log: Logger): Geocoder | null {
  if (config.GEOCODER === 'off') return null;
  const o: Options = {
    baseUrl: config.GEOCODER_URL ?? defaultGeocoderUrls[config.GEOCODER],
    key: config.GEOCODER_KEY!,
    city: config.GEOCODER_CITY,
    timeoutMs: config.GEOCODER_TIMEOUT_MS,
    log,
  };
  return config.GEOCODER === 'tianditu' ? tiandituGeocoder(o) : amapGeocoder(o);
}
