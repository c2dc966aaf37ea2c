import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { loadConfig } from '../../server/config.js';
import { mapSettings } from '../../server/geo/tiles.js';
import { testEnv } from '../helpers/context.js';

describe('address search API', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ jobs: false });
  });
  afterAll(() => t.close());

  it('proposes the point and the grid of a typed address from the seeded demo gazetteer', async () => {
    const res = await t.http().get('/api/geo/search').query({ q: '東湖路１２號' });
    expect(res.status).toBe(200);
    const [top] = res.body.items;
    expect(top).toMatchObject({ label: '东湖路12号', precision: 'house' });
    expect(top.grid.name).toMatch(/^湖畔社区第\d网格$/);
    expect(top.areaNames.slice(0, 3)).toEqual(['示范区', '东湖街道', '湖畔社区']);
  });

  it('says a point back as an address with its areas', async () => {
    const [top] = (await t.http().get('/api/geo/search').query({ q: '望江公园' })).body.items;
    const res = await t.http().get('/api/geo/reverse').query({ lat: top.lat, lng: top.lng });
    expect(res.body).toMatchObject({
      label: '望江公园附近',
      areaNames: ['示范区', '东湖街道', '望江社区', expect.any(String)],
      grid: { id: expect.any(Number), name: expect.stringMatching(/^望江社区第\d网格$/) },
    });
  });

  it('refuses an empty query with a 400 naming the field', async () => {
    const res = await t.http().get('/api/geo/search').query({ q: ' ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('serves the road centre lines the map draws without tiles', async () => {
    const res = await t.http().get('/api/geo/roads');
    expect(res.body.features).toHaveLength(12);
    expect(res.body.features[0]).toMatchObject({ geometry: { type: 'LineString' }, properties: { name: '东湖路' } });
  });

  it('serves the tile settings: none by default, so nothing reaches outside', async () => {
    const res = await t.http().get('/api/geo/settings');
    expect(res.body).toMatchObject({ tiles: 'none', layers: [], datum: 'wgs84' });
  });
});

describe('tile settings', () => {
  it('天地图 becomes its vec_w and cva_w WMTS layers with the key', () => {
    const s = mapSettings(
      loadConfig(testEnv({ MAP_TILES: 'tianditu', TIANDITU_KEY: 'abcdef0123456789abcdef0123456789' })),
    );
    expect(s.layers.map((l) => l.url)).toEqual([
      expect.stringMatching(
        /^https:\/\/t\{0-7\}\.tianditu\.gov\.cn\/vec_w\/wmts\?SERVICE=WMTS&REQUEST=GetTile.*LAYER=vec.*TILEMATRIXSET=w.*TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}&tk=abcdef/,
      ),
      expect.stringMatching(/cva_w\/wmts\?.*LAYER=cva/),
    ]);
  });

  it('an intranet WMTS or XYZ server by URL; a missing key or URL stops start-up naming the setting', () => {
    const wmts = mapSettings(
      loadConfig(testEnv({ MAP_TILES: 'wmts', MAP_TILES_URL: 'http://gis.intranet/wmts', MAP_WMTS_LAYER: 'city' })),
    );
    expect(wmts.layers[0].url).toContain(
      'http://gis.intranet/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=city',
    );
    expect(() => loadConfig(testEnv({ MAP_TILES: 'tianditu' }))).toThrow(/TIANDITU_KEY/);
    expect(() => loadConfig(testEnv({ MAP_TILES: 'xyz' }))).toThrow(/MAP_TILES_URL/);
  });
});
