import { describe, expect, it } from 'vitest';
import Koa from 'koa';
import request from 'supertest';
import { loadConfig } from '../../server/config.js';
import { mapSettings } from '../../server/geo/tiles.js';
import { securityHeaders, tileSource } from '../../server/middleware/security.js';
import { testEnv } from '../helpers/context.js';

function policyFor(env: Record<string, string>) {
  const config = loadConfig(testEnv(env));
  const app = new Koa();
  app.use(securityHeaders({ hsts: false, tileTemplates: mapSettings(config).layers.map((l) => l.url) }));
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  return request(app.callback())
    .get('/')
    .then((res) => res.headers['content-security-policy'] as string);
}

describe('the content security policy and the map tiles', () => {
  it('turns a tile URL template into the source a CSP allows', () => {
    expect(tileSource('https://t{0-7}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS')).toBe('https://*.tianditu.gov.cn');
    expect(tileSource('https://{a-c}.tiles.example.gov.cn/{z}/{x}/{y}.png')).toBe('https://*.tiles.example.gov.cn');
    expect(tileSource('http://gis.intranet:8080/tiles/{z}/{x}/{y}.png')).toBe('http://gis.intranet:8080');
    expect(tileSource('/relative/{z}/{x}/{y}.png')).toBeNull();
  });

  it('lets the browser load the configured tiles and nothing else', async () => {
    const none = await policyFor({});
    expect(none).toContain("img-src 'self' data: blob:;");
    const tianditu = await policyFor({ MAP_TILES: 'tianditu', TIANDITU_KEY: 'k'.repeat(32) });
    expect(tianditu).toContain("img-src 'self' data: blob: https://*.tianditu.gov.cn;");
    const intranet = await policyFor({ MAP_TILES: 'xyz', MAP_TILES_URL: 'http://gis.intranet/tiles/{z}/{x}/{y}.png' });
    expect(intranet).toContain("img-src 'self' data: blob: http://gis.intranet;");
    expect(intranet).toContain("script-src 'self';");
  });
});
