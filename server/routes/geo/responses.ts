import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { geometry, idName } from '../openapi/shapes.js';

export const mapSettings = z
  .object({
    tiles: z.enum(['none', 'tianditu', 'xyz', 'wmts']),
    layers: z.array(z.object({ url: z.string(), attribution: z.string() })),
    datum: z.literal('wgs84'),
    maxZoom: z.number().int(),
  })
  .meta({ id: 'MapSettings' });

export const placeProposal = z
  .object({
    label: z.string(),
    precision: z.enum(['house', 'intersection', 'poi', 'landmark', 'community', 'road']),
    lat: z.number(),
    lng: z.number(),
    score: z.number(),
    grid: idName.nullable(),
    areaNames: z.array(z.string()),
    source: z.enum(['gazetteer', 'tianditu', 'amap']),
  })
  .meta({ id: 'PlaceProposal' });

export const pointDescription = z
  .object({
    label: z.string().nullable(),
    metres: z.number().nullable(),
    areaNames: z.array(z.string()),
    grid: idName.nullable(),
  })
  .meta({ id: 'PointDescription' });

export const mapCase = z
  .object({
    id: z.string(),
    caseNo: z.string(),
    state: z.string(),
    categoryCode: z.string().nullable(),
    lat: z.number(),
    lng: z.number(),
    overdue: z.boolean(),
    approximate: z.boolean(),
  })
  .meta({ id: 'MapCase' });

const geo = { auth: 'none', errors: [429] } as const;

export const responses: Declarations = {
  'GET /api/geo/settings': { ...geo, summary: '地图底图设置', ok: mapSettings },
  'GET /api/geo/roads': {
    ...geo,
    summary: '道路中心线（GeoJSON）',
    ok: z.object({
      type: z.literal('FeatureCollection'),
      features: z.array(z.object({ type: z.literal('Feature'), geometry, properties: z.object({ name: z.string() }) })),
    }),
  },
  'GET /api/geo/search': { ...geo, summary: '地址检索', ok: z.object({ items: z.array(placeProposal) }) },
  'GET /api/geo/reverse': { ...geo, summary: '坐标说成地址', ok: pointDescription },
  'GET /api/geo/cases': { summary: '地图上的案件', ok: z.object({ items: z.array(mapCase) }) },
};
