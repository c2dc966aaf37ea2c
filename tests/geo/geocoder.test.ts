import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import distance from '@turf/distance';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { places } from '../helpers/factories.js';
import { startFakeGeocoder, type FakeGeocoder } from '../fakes/geocoder/server.js';
import { fromStored } from '../../server/geo/datum.js';

// The external geocoders by their documented HTTP interfaces, against a local fake of each: asked
// only when the gazetteer has nothing good, their answer converted to the stored datum (WGS-84)
// and kept only inside the city's grids.

const KEY = 'fakegeocoderkey0123456789';
const metres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) =>
  distance([a.lng, a.lat], [b.lng, b.lat], { units: 'meters' });
/** Not in the demo gazetteer: only a geocoder knows it. */
const UNKNOWN = '滨江产业园8号楼';

async function search(t: TestContext, q: string) {
  const res = await t.http().get('/api/geo/search').query({ q });
  expect(res.status).toBe(200);
  return res.body.items as Array<{
    label: string;
    precision: string;
    lat: number;
    lng: number;
    source: string;
    grid: { name: string } | null;
  }>;
}

describe.each([
  { provider: 'tianditu', datum: 'cgcs2000' as const, path: '/geocoder', level: '门址' },
  { provider: 'amap', datum: 'gcj02' as const, path: '/v3/geocode/geo', level: '门牌号' },
])('GEOCODER=$provider', ({ provider, datum, path, level }) => {
  let fake: FakeGeocoder;
  let t: TestContext;
  beforeAll(async () => {
    fake = await startFakeGeocoder(KEY);
    t = await createTestContext({
      jobs: false,
      env: { GEOCODER: provider, GEOCODER_URL: `${fake.url}${path}`, GEOCODER_KEY: KEY, GEOCODER_CITY: '示范市' },
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const asked = (address: string) => (provider === 'tianditu' ? `示范市${address}` : address);

  it('is asked when the gazetteer has no match, and its point is stored in WGS-84 with the grid', async () => {
    fake.places.set(asked(UNKNOWN), { ...fromStored(places.huPan, datum), level });
    const [top] = await search(t, UNKNOWN);
    expect(top).toMatchObject({ source: provider, precision: 'house' });
    expect(metres(top, places.huPan)).toBeLessThan(1);
    expect(top.grid?.name).toMatch(/^湖畔社区第\d网格$/);
    const sent = fake.requests.at(-1)!;
    if (provider === 'tianditu') expect(JSON.parse(sent.query.ds)).toEqual({ keyWord: `示范市${UNKNOWN}` });
    else expect(sent.query).toMatchObject({ address: UNKNOWN, city: '示范市', key: KEY });
  });

  it('is not asked when the gazetteer matches well', async () => {
    const before = fake.requests.length;
    const [top] = await search(t, '东湖路12号');
    expect(top).toMatchObject({ label: '东湖路12号', source: 'gazetteer' });
    expect(fake.requests).toHaveLength(before);
  });

  it('is ignored when its place lies outside the city (a road of the same name elsewhere)', async () => {
    fake.places.set(asked('外地大道9号'), { ...fromStored(places.outside, datum), level });
    const before = fake.requests.length;
    expect(await search(t, '外地大道9号')).toEqual([]);
    expect(fake.requests).toHaveLength(before + 1);
  });

  it('down, leaves the gazetteer to answer alone, and its key stays out of the log', async () => {
    fake.failWith = 503;
    try {
      const items = await search(t, UNKNOWN);
      expect(items.every((i) => i.source === 'gazetteer')).toBe(true);
      expect(t.logLines.some((l) => l.includes('geocoder unavailable'))).toBe(true);
      expect(t.logLines.join('\n')).not.toContain(KEY);
    } finally {
      fake.failWith = null;
    }
  });
});

describe('GEOCODER setting', () => {
  it('stops start-up without a key, naming the setting', async () => {
    await expect(createTestContext({ jobs: false, env: { GEOCODER: 'amap' } })).rejects.toThrow(
      'missing setting GEOCODER_KEY',
    );
  });
});
