import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Response } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { buildReport, north, places, toSurveyStage } from '../helpers/factories.js';
import { jpeg } from '../helpers/images.js';
import {
  bundleSizes,
  byTestId,
  chartSettled,
  CHROMIUM,
  kb,
  launch,
  measureFirstScreen,
  openDesk,
  shot,
  signIn,
  STEP_MS,
  type Staff,
  submitDialog,
} from './browser.js';
import { fromMercator, metres, toMercator } from '../helpers/mercator.js';

// The staff console as the people on shift use it: the Vite build served at /admin/ by the real
// server, driven in Debian's Chromium. A case goes from a hotline call to 核查通过, through an
// agent, a supervisor and the department that repairs it. Each step signs in its own people and
// files the cases it works on (through the API, away from every other step's), so it passes alone
// and in any order; figures that other steps also move are asserted relative to the step's own.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN_INDEX = path.join(root, 'admin/dist/index.html');
const SHOTS = path.join(root, 'tests/artifacts/admin');
const README_SHOTS = path.join(root, 'docs/screenshots');
/** The README's pictures are refreshed only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree as it was. */
const refreshReadme = (from: string, name: string) => {
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(from, path.join(README_SHOTS, name));
};
const ready = existsSync(ADMIN_INDEX) && existsSync(CHROMIUM);

describe('admin console e2e prerequisites', () => {
  it('has the console build and a browser', () => {
    expect(
      existsSync(ADMIN_INDEX),
      'admin/dist/index.html is missing: run `npm run build -w admin` (npm test does it)',
    ).toBe(true);
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei`).toBe(true);
  });
});

const STREET_LIGHT = { code: '100118', name: '路灯' };
const DEPARTMENT = '市政设施管理处';
const CELL = '湖畔社区第1网格';
const FIRST_CALLER = '13912345678';
const SECOND_CALLER = '13700001111';

let t: TestContext;
let server: Server;
let base: string;
let browser: Browser;
let agentToken: string;
let spots = 0;

const shotPath = (name: string) => path.join(SHOTS, `${name}.png`);
const isApi = (r: Response, method: string, pathname: string) =>
  r.request().method() === method && new URL(r.url()).pathname === pathname;

type Figures = Record<'received' | 'closed' | 'rework' | 'surveyed', string>;
/** What the API answered for the cards just read. */
type Answered = { totals: { received: number }; rates: Record<string, number | null> };

async function readDashboard(page: Page): Promise<Figures & { answered: Answered }> {
  const loaded = page.waitForResponse((r) => isApi(r, 'GET', '/api/stats') && r.ok());
  await page.goto(`${base}/admin/stats`);
  const stats = (await (await loaded).json()) as Answered;
  const value = (id: string) => byTestId(page, id).locator('.ant-statistic-content').innerText();
  // The cards show 0 until the answer is drawn: wait for the answer's own figure.
  await expect.poll(() => value('total-received'), { timeout: STEP_MS }).toBe(String(stats.totals.received));
  return {
    received: await value('total-received'),
    closed: await value('rate-closed'),
    rework: await value('rate-rework'),
    surveyed: await value('rate-surveyed'),
    answered: stats,
  };
}

/** Simulates an inbound call bridged to the agent's extension (8001), as the PBX would. */
async function ring(caller: string): Promise<string> {
  const res = await t.http().post('/api/calls/simulate').set('Authorization', `Bearer ${agentToken}`).send({ caller });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.callId;
}

/** A place of the step's own in 湖畔社区, 120 m from every other step's: well outside the 50 m duplicate radius. */
const ownSpot = () => north(places.huPan, 300 + 120 * spots++);

type Filed = { report: { disposition: 'opened' | 'duplicate' }; case: { id: string; caseNo: string } };

/** Files a 路灯 report through the API, as the agent would, at `location`. */
async function fileReport(location: { lat: number; lng: number }, callId?: string): Promise<Filed> {
  const res = await t
    .http()
    .post('/api/reports')
    .set('Authorization', `Bearer ${agentToken}`)
    .send(
      buildReport({
        text: '湖畔社区路边的路灯坏了，晚上一片漆黑',
        categoryCode: STREET_LIGHT.code,
        location,
        address: '湖畔社区',
        ...(callId ? { callId } : {}),
      }),
    );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** One case reported twice at a place of the step's own (two calls when `callIds` are given): the second joins the first. */
async function reportedTwice(callIds: string[] = []) {
  const at = ownSpot();
  const first = await fileReport(at, callIds[0]);
  expect(first.report.disposition).toBe('opened');
  const second = await fileReport(at, callIds[1]);
  expect(second.report.disposition).toBe('duplicate');
  expect(second.case.id).toBe(first.case.id);
  return first.case;
}

/** A desk of its own for the step, signed in as `username`. */
async function signedIn(username: Parameters<typeof signIn>[1]): Promise<Staff> {
  const staff = await openDesk(browser);
  await staff.page.goto(`${base}/admin/`);
  await signIn(staff.page, username);
  return staff;
}

/** Types the complaint and waits for the classifier's answer to be on screen. */
async function describeProblem(page: Page, text: string) {
  await byTestId(page, 'complaint-text').fill(text);
  await byTestId(page, 'category-suggested-name').waitFor();
  await expect
    .poll(() => byTestId(page, 'category-suggestion').getAttribute('data-code'), { timeout: STEP_MS })
    .toBe(STREET_LIGHT.code);
}

const pickedPoint = async (page: Page) => {
  const value = byTestId(page, 'location-value');
  return { lat: Number(await value.getAttribute('data-lat')), lng: Number(await value.getAttribute('data-lng')) };
};

/** The picker map's view as it says it (centre, Web Mercator metres per pixel) and where it is on screen. */
async function pickerView(page: Page) {
  const map = byTestId(page, 'location-map');
  const [lat, lng, resolution] = await Promise.all(
    ['data-center-lat', 'data-center-lng', 'data-resolution'].map(async (a) => Number(await map.getAttribute(a))),
  );
  return { centre: { lat, lng }, resolution, box: (await map.boundingBox())! };
}

/**
 * Clicks the picker map `dx`, `dy` pixels from its centre; resolves with the ground point under
 * that pixel (computed here from the view, independently of the map library) and the point stored,
 * once the duplicate lookup for that place has answered.
 */
async function clickMap(page: Page, dx: number, dy: number) {
  await byTestId(page, 'location-map').scrollIntoViewIfNeeded();
  const view = await pickerView(page);
  const c = toMercator(view.centre);
  const expected = fromMercator(c.x + dx * view.resolution, c.y - dy * view.resolution);
  const before = await byTestId(page, 'location-value').getAttribute('data-lat');
  const looked = page.waitForResponse((r) => isApi(r, 'GET', '/api/reports/nearby'));
  await page.mouse.click(view.box.x + view.box.width / 2 + dx, view.box.y + view.box.height / 2 + dy);
  await expect
    .poll(() => byTestId(page, 'location-value').getAttribute('data-lat'), { timeout: STEP_MS })
    .not.toBe(before);
  expect((await looked).status()).toBe(200);
  return { expected, stored: await pickedPoint(page) };
}

/** Types an address; resolves once the map has moved to the place proposed and the location took it. */
async function typeAddress(page: Page, address: string) {
  const found = page.waitForResponse(
    (r) => isApi(r, 'GET', '/api/geo/search') && new URL(r.url()).searchParams.get('q') === address,
  );
  await byTestId(page, 'complaint-address').fill(address);
  const top = (await (await found).json()).items[0];
  await expect.poll(async () => metres((await pickerView(page)).centre, top), { timeout: STEP_MS }).toBeLessThan(1);
  await page.locator('[data-testid="location-value"][data-source="address"]').waitFor();
  return top as { label: string; lat: number; lng: number; grid: { name: string } };
}

async function openCase(page: Page, caseId: string) {
  await page.goto(`${base}/admin/cases/${caseId}`);
  await byTestId(page, 'case-detail').waitFor();
}

const caseState = (page: Page) =>
  byTestId(page, 'case-detail').locator('[data-testid="case-state"]').getAttribute('data-state');

/** What the server was doing, for a step that got no answer: its warnings and, on PostgreSQL, its busy sessions. */
async function serverState(): Promise<string> {
  const logged = t.logLines.filter((l) => /"level":(40|50|60)/.test(l) || l.includes('/transitions')).slice(-20);
  let sessions = '';
  const url = (t.services.database as { url?: string }).url;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      `select state, wait_event_type, wait_event, now() - query_start as running, left(query, 160) as query
         from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
    );
    await client.end();
    sessions = rows.map((r) => JSON.stringify(r)).join('\n');
  }
  return `log:\n${logged.join('')}\nsessions:\n${sessions || '(none busy)'}`;
}

/**
 * Takes one action from the case page through its dialog, as the server's allowedActions offer it.
 * When the step goes wrong it says how: the dialog sent nothing (and what it shows), the request
 * failed in the browser, or the server did not answer.
 */
async function act(page: Page, action: string, fill?: () => Promise<void>) {
  await byTestId(page, `action-${action}`).click();
  const dialog = page.locator(`[data-testid="transition-dialog"][data-action="${action}"]`);
  await dialog.waitFor();
  await fill?.();
  const request = await submitDialog(page, dialog, action);
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void serverState().then((state) =>
        reject(new Error(`${action}: the server did not answer in ${STEP_MS} ms\n${state}`)),
      );
    }, STEP_MS);
  });
  const res = await Promise.race([request.response(), silence]).finally(() => clearTimeout(timer));
  expect(res, `${action}: the request failed in the browser: ${request.failure()?.errorText}`).not.toBeNull();
  expect(res!.status(), `${action}: ${await res!.text()}`).toBe(200);
  await dialog.waitFor({ state: 'detached' });
}

describe.runIf(ready)('the staff console, against the real server', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(README_SHOTS, { recursive: true });
    t = await createTestContext({ workers: true, env: { SERVE_UI: 'true' } });
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launch();
    agentToken = await t.login('agent');
  });

  afterAll(async () => {
    await browser?.close();
    // The desks hold screen-pop streams open: close them, or close() waits for them.
    server?.closeAllConnections();
    server?.close();
    await t?.close();
  });

  it('measures the login screen’s load, and the agent signs in to the desk', async () => {
    const agent = await openDesk(browser);
    const { page } = agent;
    const first = await measureFirstScreen(page, base);
    const bundle = bundleSizes(path.join(root, 'admin/dist/assets'));
    console.log(
      [
        `[admin e2e] first screen: login form visible ${first.visibleMs} ms after navigation; DOMContentLoaded ${first.domContentLoadedMs} ms, load ${first.loadMs} ms;`,
        `${first.resources} resources, ${kb(first.transferredBytes)} transferred (assets are served precompressed)`,
        `[admin e2e] bundle: ${bundle.files} JS files, ${kb(bundle.jsBytes)} raw, ${kb(bundle.jsGzipBytes)} gzip -9; largest ${bundle.largest
          .map((f) => `${f.file} ${kb(f.bytes)} (${kb(f.gzipBytes)} gz)`)
          .join(', ')}`,
      ].join('\n'),
    );
    expect(
      first.scripts.filter((f) => f.includes('echarts')),
      'ECharts arrives with the dashboard, not the login page',
    ).toEqual([]);
    expect(page.url()).toContain('/admin/login');
    expect(await page.title()).toContain('城管热线');
    await shot(page, shotPath('login'));

    await signIn(page, 'agent');
    await page.waitForURL(/\/admin\/desk$/);
    expect(await byTestId(page, 'current-user').innerText()).toContain('坐席');
    // The pop can only arrive once the stream is open.
    await page.locator('[data-testid="screenpop-status"][data-status="open"]').waitFor();
    expect(agent.errors).toEqual([]);
  }, 180_000);

  it('the supervisor’s dashboard shows the figures the API computes', async () => {
    const supervisor = await signedIn('supervisor');
    const shown = await readDashboard(supervisor.page);
    expect(shown.received).toBe(String(shown.answered.totals.received));
    // A rate with nothing to divide by (on a fresh database: nothing resolved yet) shows —, never 0% or NaN.
    const rework = shown.answered.rates['返工率'];
    expect(shown.rework).toBe(rework === null ? '—' : `${(rework * 100).toFixed(1)}%`);
    expect(supervisor.errors).toEqual([]);
  }, 180_000);

  it('a call pops on the agent’s desk; the complaint takes the suggested category, a grid cell, and opens a case', async () => {
    const agent = await signedIn('agent');
    const { page } = agent;
    await page.locator('[data-testid="screenpop-status"][data-status="open"]').waitFor();
    const callId = await ring(FIRST_CALLER);
    await page.locator(`[data-testid="screenpop-panel"][data-call-id="${callId}"]`).waitFor();
    expect(await byTestId(page, 'screenpop-caller').innerText()).toBe('139****5678');
    expect(await byTestId(page, 'screenpop-panel').innerText()).not.toContain(FIRST_CALLER);
    // The agent reveals the number (audited) to confirm it with the caller and put it on the report.
    await byTestId(page, 'screenpop-unmask').click();
    await byTestId(page, 'screenpop-phone').waitFor();
    expect(await byTestId(page, 'screenpop-caller').innerText()).toBe(FIRST_CALLER);
    expect(await byTestId(page, 'complaint-form').innerText()).toContain(callId);

    await describeProblem(
      page,
      '东湖路湖畔社区门口的路灯坏了好几天了，晚上一片漆黑，老人小孩走路很不安全，请尽快派人修一下',
    );
    expect(await byTestId(page, 'category-suggested-name').innerText()).toBe(STREET_LIGHT.name);
    const current = byTestId(page, 'category-current');
    expect(await current.getAttribute('data-code')).toBe(STREET_LIGHT.code);
    // The agent first tries another reading, then goes back to the suggestion.
    await byTestId(page, 'category-suggestion')
      .locator(`[data-testid="category-alternative"]:not([data-code="${STREET_LIGHT.code}"])`)
      .first()
      .click();
    await expect.poll(() => current.getAttribute('data-source'), { timeout: STEP_MS }).toBe('manual');
    expect(await current.getAttribute('data-code')).not.toBe(STREET_LIGHT.code);
    await byTestId(page, 'category-use-suggestion').click();
    await expect.poll(() => current.getAttribute('data-source'), { timeout: STEP_MS }).toBe('suggested');
    expect(await current.getAttribute('data-code')).toBe(STREET_LIGHT.code);
    expect(await byTestId(page, 'category-select').innerText()).toContain(STREET_LIGHT.name);

    // A place the classifier found in the text becomes the address with one click.
    await byTestId(page, 'entity-location').first().click();
    await expect
      .poll(() => byTestId(page, 'complaint-address').inputValue(), { timeout: STEP_MS })
      .toContain('湖畔社区');
    await byTestId(page, 'complaint-name').fill('张女士');
    await byTestId(page, 'complaint-phone').fill(FIRST_CALLER);
    // The address typed moves the map to the 门牌 found and fills the grid.
    const house = await typeAddress(page, '湖畔社区东湖路12号');
    expect(house.label).toBe('东湖路12号');
    expect(await byTestId(page, 'location-value').innerText()).toContain(CELL);
    // At full zoom the point clicked is the location, to the metre: a click at a known ground point.
    const { expected, stored } = await clickMap(page, 40, -30);
    expect(metres(stored, expected)).toBeLessThan(5);
    expect(metres(stored, house)).toBeGreaterThan(10);
    expect(await byTestId(page, 'location-value').getAttribute('data-source')).toBe('map');
    expect(await byTestId(page, 'location-value').innerText()).toContain(CELL);
    expect(await byTestId(page, 'duplicate-warning').count(), 'nothing is open there yet').toBe(0);
    await shot(page, shotPath('desk'));

    const submitted = page.waitForResponse((r) => isApi(r, 'POST', '/api/reports'));
    await byTestId(page, 'submit-report').click();
    const res = await submitted;
    expect(res.status()).toBe(201);
    const sent = res.request().postDataJSON();
    expect(sent).toMatchObject({ channel: 'hotline', callId, categoryCode: STREET_LIGHT.code, phone: FIRST_CALLER });
    const body = await res.json();
    await page.locator('[data-testid="submit-result"][data-disposition="opened"]').waitFor();
    expect(await byTestId(page, 'submit-result-caseno').innerText()).toBe(body.case.caseNo);
    expect(agent.errors).toEqual([]);
  }, 180_000);

  it('a second caller reporting the same light nearby is warned of the open case and joins it', async () => {
    // The light is already reported at the 门牌 (a case of this step's own, or the one it joins).
    const found = await t
      .http()
      .get('/api/geo/search')
      .query({ q: '东湖路12号' })
      .set('Authorization', `Bearer ${agentToken}`);
    expect(found.status).toBe(200);
    const { caseNo } = (await fileReport({ lat: found.body.items[0].lat, lng: found.body.items[0].lng })).case;
    const agent = await signedIn('agent');
    const { page } = agent;
    await byTestId(page, 'complaint-form').waitFor();
    await page.locator('[data-testid="screenpop-status"][data-status="open"]').waitFor();
    const callId = await ring(SECOND_CALLER);
    await page.locator(`[data-testid="screenpop-panel"][data-call-id="${callId}"]`).waitFor();
    expect(await byTestId(page, 'screenpop-caller').innerText()).toBe('137****1111');

    await describeProblem(page, '湖畔社区东门那边的路灯晚上不亮了，黑乎乎的，麻烦来看看');
    expect(await byTestId(page, 'category-current').getAttribute('data-code')).toBe(STREET_LIGHT.code);
    // The same 门牌, and a click at it: within the 50 m duplicate radius of the first report's point.
    await typeAddress(page, '东湖路12号');
    await clickMap(page, 0, 0);
    const warning = byTestId(page, 'duplicate-warning');
    await warning.waitFor();
    expect(await warning.locator(`[data-testid="duplicate-item"][data-case-no="${caseNo}"]`).count()).toBe(1);
    expect(await warning.innerText()).toContain(STREET_LIGHT.name);
    await shot(page, shotPath('complaint'));
    refreshReadme(shotPath('complaint'), 'admin-desk.png');

    const submitted = page.waitForResponse((r) => isApi(r, 'POST', '/api/reports'));
    await byTestId(page, 'submit-report').click();
    expect((await submitted).status()).toBe(201);
    await page.locator('[data-testid="submit-result"][data-disposition="duplicate"]').waitFor();
    expect(await byTestId(page, 'submit-result-caseno').innerText()).toBe(caseNo);
    expect(agent.errors).toEqual([]);
  }, 180_000);

  it('the case is in the list, registered and routed to 市政设施管理处', async () => {
    const listed = async () =>
      (await t.http().get('/api/cases').set('Authorization', `Bearer ${agentToken}`)).body.total as number;
    const casesBefore = await listed();
    const { caseNo } = await reportedTwice();
    const agent = await signedIn('agent');
    const { page } = agent;
    await byTestId(page, 'menu-cases').click();
    const row = page.locator(`[data-testid="case-row"][data-case-no="${caseNo}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid="case-state"]').innerText()).toBe('立案');
    const text = await row.innerText();
    expect(text).toContain(STREET_LIGHT.name);
    expect(text).toContain(DEPARTMENT);
    expect(text).toContain('热线电话');
    expect(await page.locator('[data-testid="case-row"]').count(), 'the second call joined the first case').toBe(
      casesBefore + 1,
    );
    await shot(page, shotPath('cases'));
    expect(agent.errors).toEqual([]);
  }, 180_000);

  it('the supervisor dispatches it; the department accepts it and resolves it with a photo; the supervisor passes 核查', async () => {
    const { id: caseId, caseNo } = await reportedTwice([await ring(FIRST_CALLER), await ring(SECOND_CALLER)]);
    const supervisor = await signedIn('supervisor');
    const { page } = supervisor;
    await openCase(page, caseId);
    expect(await caseState(page)).toBe('立案');
    expect(await byTestId(page, 'case-department').innerText()).toBe(DEPARTMENT);
    await act(page, 'dispatch');
    await expect.poll(() => caseState(page), { timeout: STEP_MS }).toBe('派遣');

    const department = await openDesk(browser);
    const dp = department.page;
    await dp.goto(`${base}/admin/`);
    await signIn(dp, 'szss');
    // A department lands on its case list, which holds the dispatched case.
    await dp.locator(`[data-testid="case-row"][data-case-no="${caseNo}"]`).waitFor();
    await dp.locator(`[data-testid="case-row"][data-case-no="${caseNo}"] [data-testid="case-link"]`).click();
    await byTestId(dp, 'case-detail').waitFor();
    await act(dp, 'accept');
    await expect.poll(() => caseState(dp), { timeout: STEP_MS }).toBe('处置中');

    const note = '已更换损坏的路灯灯头和镇流器，夜间亮灯正常';
    await act(dp, 'resolve', async () => {
      await byTestId(dp, 'transition-note').fill(note);
      const uploaded = dp.waitForResponse((r) => isApi(r, 'POST', '/api/uploads'));
      await byTestId(dp, 'transition-photos')
        .locator('input[type=file]')
        .setInputFiles({ name: '维修后.jpg', mimeType: 'image/jpeg', buffer: await jpeg({ color: '#3d6b8f' }) });
      expect((await uploaded).status()).toBe(201);
      await byTestId(dp, 'transition-photos').locator('.ant-upload-list-item-done').waitFor();
    });
    // 处置完毕 goes to 核查 on its own.
    await expect.poll(() => caseState(dp), { timeout: STEP_MS }).toBe('核查');
    expect(await byTestId(dp, 'case-actions').count(), 'nothing left for the department').toBe(0);
    expect(department.errors).toEqual([]);
    await dp.context().close();

    await byTestId(page, 'case-reload').click();
    await expect.poll(() => caseState(page), { timeout: STEP_MS }).toBe('核查');
    await act(page, 'check_pass');
    await expect.poll(() => caseState(page), { timeout: STEP_MS }).toBe('回访');

    const timeline = byTestId(page, 'case-timeline');
    const actions = await timeline
      .locator('[data-testid="timeline-event"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    for (const a of [
      'received',
      'register',
      'duplicate_attached',
      'dispatch',
      'accept',
      'resolve',
      'submit_check',
      'check_pass',
    ])
      expect(actions).toContain(a);
    const resolved = timeline.locator('[data-testid="timeline-event"][data-action="resolve"]');
    expect(await resolved.innerText()).toContain(note);
    const photo = resolved.locator('img').first();
    await photo.waitFor();
    await expect
      .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: STEP_MS })
      .toBe(true);
    expect(await byTestId(page, 'tab-reports').innerText()).toContain('(2)');
    // Both calls that reported it are linked to the case (call_cases), the second through its duplicate report.
    expect(await byTestId(page, 'tab-calls').innerText()).toContain('(2)');
    await shot(page, shotPath('case'));
    refreshReadme(shotPath('case'), 'admin-case.png');
    expect(supervisor.errors).toEqual([]);
  }, 240_000);

  it('the grid map counts the open case in its cell', async () => {
    const openInCell = async () => {
      const res = await t
        .http()
        .get('/api/areas')
        .query({ level: 'grid' })
        .set('Authorization', `Bearer ${agentToken}`);
      const cell = res.body.features.find((f: { properties: { name: string } }) => f.properties.name === CELL);
      return (cell.properties.openCases ?? 0) as number;
    };
    const openBefore = await openInCell();
    const { id } = await reportedTwice();
    await toSurveyStage(t, id);
    const supervisor = await signedIn('supervisor');
    const { page } = supervisor;
    await byTestId(page, 'menu-map').click();
    await page.locator('[data-testid="grid-map"][data-center-lat]').waitFor();
    const cell = byTestId(page, 'grid-list').locator(`[data-testid="grid-cell"][data-grid-name="${CELL}"]`);
    await cell.waitFor();
    expect(await cell.getAttribute('data-value')).toBe(String(openBefore + 1));
    await cell.click();
    expect(await byTestId(page, 'map-cell-detail').innerText()).toContain(CELL);
    await shot(page, shotPath('map'));
    refreshReadme(shotPath('map'), 'admin-map.png');
    expect(supervisor.errors).toEqual([]);
  }, 180_000);

  it('the dashboard figures move with the case', async () => {
    const supervisor = await signedIn('supervisor');
    const { page } = supervisor;
    const before = await readDashboard(page);
    const { id } = await reportedTwice();
    await toSurveyStage(t, id);
    const after = await readDashboard(page);
    const cards = ({ answered: _, ...shown }: Figures & { answered: Answered }) => JSON.stringify(shown);
    console.log(`[admin e2e] dashboard before ${cards(before)} after ${cards(after)}`);
    // Two calls, one case: the duplicate does not count twice.
    expect(Number(after.received)).toBe(Number(before.received) + 1);
    // Resolved once and never reworked; reached 回访 and not yet surveyed; not closed yet.
    expect(after.rework).toBe('0.0%');
    expect(after.surveyed).toBe('0.0%');
    expect(after.closed).toBe('0.0%');
    await byTestId(page, 'chart-channel').waitFor();
    await byTestId(page, 'chart-category').waitFor();
    expect(await byTestId(page, 'department-ranking').innerText()).toContain(DEPARTMENT);
    for (const chart of ['chart-channel', 'chart-day', 'chart-category']) await chartSettled(page, chart);
    await shot(page, shotPath('dashboard'));
    refreshReadme(shotPath('dashboard'), 'admin-dashboard.png');
    expect(supervisor.errors).toEqual([]);
  }, 180_000);

  it('the administrator sees the 指挥手册 that routed it', async () => {
    const admin = await openDesk(browser);
    const { page } = admin;
    await page.goto(`${base}/admin/system`);
    await signIn(page, 'admin');
    await page.waitForURL(/\/admin\/system$/);
    await byTestId(page, 'system-tab-rules').waitFor();
    const rows = page.locator('[data-testid="rule-row"]');
    await rows.first().waitFor();
    const routing = rows.filter({ hasText: '（1001）' });
    expect(await routing.count()).toBe(1);
    expect(await routing.innerText()).toContain(DEPARTMENT);
    await shot(page, shotPath('rules'));
    expect(admin.errors).toEqual([]);
    await page.context().close();
  }, 180_000);
});
