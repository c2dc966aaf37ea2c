import { describe, expect, it } from 'vitest';
import distance from '@turf/distance';
import { convert, fromStored, toStored, type LatLng } from '../../server/geo/datum.js';

const metres = (a: LatLng, b: LatLng) => distance([a.lng, a.lat], [b.lng, b.lat], { units: 'meters' });

// Published WGS-84 → GCJ-02 pairs: the test vectors of googollee/eviltransform (Shanghai, Shenzhen, Beijing).
const reference: Array<{ place: string; wgs84: LatLng; gcj02: LatLng }> = [
  {
    place: '上海',
    wgs84: { lat: 31.1774276, lng: 121.5272106 },
    gcj02: { lat: 31.17530398364597, lng: 121.531541859215 },
  },
  {
    place: '深圳',
    wgs84: { lat: 22.543847, lng: 113.912316 },
    gcj02: { lat: 22.540796131694766, lng: 113.9171764808363 },
  },
  {
    place: '北京',
    wgs84: { lat: 39.911954, lng: 116.377817 },
    gcj02: { lat: 39.91334545536069, lng: 116.38404722455657 },
  },
];

describe('datum conversion at the edges', () => {
  for (const r of reference) {
    it(`GCJ-02 from WeChat becomes the stored WGS-84 within 1 m (${r.place})`, () => {
      expect(metres(toStored(r.gcj02, 'gcj02'), r.wgs84)).toBeLessThan(1);
      expect(metres(fromStored(r.wgs84, 'gcj02'), r.gcj02)).toBeLessThan(0.01);
    });
  }

  it('the GCJ-02 offset is hundreds of metres, so forgetting it would misplace a case', () => {
    for (const r of reference) expect(metres(r.wgs84, r.gcj02)).toBeGreaterThan(300);
  });

  it('BD-09 goes through GCJ-02 and back within a metre', () => {
    const p = { lat: 30.25, lng: 120.15 };
    const bd = convert(p, 'wgs84', 'bd09');
    expect(metres(bd, p)).toBeGreaterThan(500);
    expect(metres(toStored(bd, 'bd09'), p)).toBeLessThan(1);
  });

  it('CGCS2000 (天地图) is stored as is; points outside China are never shifted', () => {
    expect(toStored({ lat: 30.25, lng: 120.15 }, 'cgcs2000')).toEqual({ lat: 30.25, lng: 120.15 });
    expect(toStored({ lat: 48.8584, lng: 2.2945 }, 'gcj02')).toEqual({ lat: 48.8584, lng: 2.2945 });
  });
});
