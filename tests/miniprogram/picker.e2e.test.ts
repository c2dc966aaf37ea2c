import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import sharp from 'sharp';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fromMercator, metres, toMercator } from '../helpers/mercator.js';
import { CHROMIUM, launch, STEP_MS } from '../admin/browser.js';
import { areas, cases } from '../../server/db/schema.js';

// The mini-program's map picker in its h5 build (OpenLayers over the service's tile setting),
// driven in Chromium against the real server: an address typed moves the map, a tap picks the
// point, and the report stores that point in the stored datum (WGS-84) with its grid.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const H5_INDEX = path.join(root, 'miniprogram/dist/h5/index.html');
const SHOTS = path.join(root, 'tests/artifacts/miniprogram');
const ready = existsSync(H5_INDEX) && existsSync(CHROMIUM);

const isApi = (r: Response, method: string, pathname: string) =>
  r.request().method() === method && new URL(r.url()).pathname === pathname;

/** The picker map's view as it says it (centre, Web Mercator metres per pixel) and where it is on screen. */
async function pickerView(page: Page) {
  const map = page.locator('#picker-map');
  const [lat, lng, resolution] = await Promise.all(
    ['data-center-lat', 'data-center-lng', 'data-resolution'].map(async (a) => Number(await map.getAttribute(a))),
  );
  return { centre: { lat, lng }, resolution, box: (await map.boundingBox())! };
}

const pickedPoint = async (page: Page) => {
  const place = page.locator('#picker-place');
  return { lat: Number(await place.getAttribute('data-lat')), lng: Number(await place.getAttribute('data-lng')) };
};

/** The real server with the h5 build at /m/ and the development login, listening on a free port. */
async function serve(env: Record<string, string>) {
  const t = await createTestContext({ workers: true, env: { SERVE_UI: 'true', DEV_LOGIN: 'true', ...env } });
  const server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { t, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(t: TestContext | undefined, server: Server | undefined) {
  server?.closeAllConnections();
  server?.close();
  await t?.close();
}

describe.runIf(ready)('the h5 map picker, against the real server', () => {
  let t: TestContext;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ t, server, base } = await serve({}));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await stop(t, server);
  });

  it('finds a typed address, takes the point tapped, and the report stores it in WGS-84 with its grid', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.status() >= 500 && errors.push(`${r.status()} ${new URL(r.url()).pathname}`));

    await page.goto(`${base}/m/#/pages/report/index`);
    await page.waitForSelector('#description textarea');
    const classified = page.waitForResponse((r) => isApi(r, 'POST', '/api/classify'));
    await page.fill('#description textarea', '东湖路上有个污水井盖破损了，晚上走路很危险');
    await classified;

    await page.click('#location-choose');
    await page.locator('#picker-map[data-resolution]').waitFor();

    // The address typed: the map goes to the gazetteer's best match, which the pin takes, with its grid.
    const address = '东湖路18号';
    const found = page.waitForResponse(
      (r) => isApi(r, 'GET', '/api/geo/search') && new URL(r.url()).searchParams.get('q') === address,
    );
    await page.fill('#picker-search input', address);
    const top = (await (await found).json()).items[0] as {
      label: string;
      lat: number;
      lng: number;
      grid: { name: string };
    };
    expect(top.label).toBe('东湖路18号');
    await expect.poll(async () => metres((await pickerView(page)).centre, top), { timeout: STEP_MS }).toBeLessThan(1);
    await expect.poll(() => page.textContent('#picker-grid'), { timeout: STEP_MS }).toContain(top.grid.name);
    expect(metres(await pickedPoint(page), top)).toBeLessThan(1);

    // A tap 60 px right and 40 px up of the centre: the ground point under it, computed here from the view.
    const view = await pickerView(page);
    const c = toMercator(view.centre);
    const [dx, dy] = [60, -40];
    const expected = fromMercator(c.x + dx * view.resolution, c.y - dy * view.resolution);
    const described = page.waitForResponse((r) => isApi(r, 'GET', '/api/geo/reverse'));
    await page.mouse.click(view.box.x + view.box.width / 2 + dx, view.box.y + view.box.height / 2 + dy);
    await expect.poll(async () => metres(await pickedPoint(page), expected), { timeout: STEP_MS }).toBeLessThan(1);
    const place = (await (await described).json()) as { label: string; grid: { name: string } };
    await expect.poll(() => page.textContent('#picker-grid'), { timeout: STEP_MS }).toContain(place.grid.name);
    const words = (await page.textContent('#picker-place'))!;
    expect(words).toContain('东湖街道湖畔社区');
    // An address and a grid, never 「30.20145, 120.11810」.
    expect(words).not.toMatch(/\d+\.\d{3,}/);
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    const file = path.join(SHOTS, 'picker.png');
    await page.screenshot({ path: file });
    // The README's picture is refreshed only on request, so a test run leaves the tree as it was.
    if (process.env.UPDATE_SCREENSHOTS === '1')
      copyFileSync(file, path.join(root, 'docs/screenshots/miniprogram-picker.png'));

    await page.click('#picker-done');
    await page.locator('#map-picker').waitFor({ state: 'detached' });
    await expect.poll(() => page.textContent('#location-place'), { timeout: STEP_MS }).toContain('湖畔社区');
    expect(await page.textContent('#location-place')).not.toMatch(/\d+\.\d{3,}/);
    expect(await page.textContent('#location-source')).toContain('已选择位置');

    const submitted = page.waitForResponse((r) => isApi(r, 'POST', '/api/citizen/reports'));
    await page.click('#report-submit');
    const res = await submitted;
    expect(res.status()).toBe(201);
    const { caseId } = (await res.json()) as { caseId: string };
    const [stored] = await t.services.database.db
      .select({ lat: cases.lat, lng: cases.lng, grid: areas.name })
      .from(cases)
      .leftJoin(areas, eq(areas.id, cases.gridId))
      .where(eq(cases.id, caseId));
    expect(metres({ lat: stored.lat!, lng: stored.lng! }, expected)).toBeLessThan(5);
    expect(metres({ lat: stored.lat!, lng: stored.lng! }, top)).toBeGreaterThan(20);
    expect(stored.grid).toBe(place.grid.name);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});

describe.runIf(ready)('the h5 map picker draws the tiles the service is set to', () => {
  let t: TestContext;
  let server: Server;
  let base: string;
  let browser: Browser;
  const tiles = createServer(async (req, res) => {
    requested.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' });
    res.end(await tile);
  });
  const requested: string[] = [];
  const tile = sharp({ create: { width: 256, height: 256, channels: 3, background: '#dfe8d0' } })
    .png()
    .toBuffer();

  beforeAll(async () => {
    tiles.listen(0, '127.0.0.1');
    await once(tiles, 'listening');
    const port = (tiles.address() as AddressInfo).port;
    ({ t, server, base } = await serve({
      MAP_TILES: 'xyz',
      MAP_TILES_URL: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`,
    }));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await stop(t, server);
    tiles.close();
  });

  it('fetches MAP_TILES_URL at the picker’s zoom, as the console does, and no road lines', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    const roads: string[] = [];
    page.on('request', (r) => new URL(r.url()).pathname === '/api/geo/roads' && roads.push(r.url()));
    await page.goto(`${base}/m/#/pages/report/index`);
    await page.click('#location-choose');
    await page.locator('#picker-map[data-resolution]').waitFor();
    await expect.poll(() => requested.filter((u) => /^\/17\/\d+\/\d+\.png$/.test(u)).length).toBeGreaterThan(0);
    expect(roads).toEqual([]);
    await context.close();
  }, 180_000);
});
