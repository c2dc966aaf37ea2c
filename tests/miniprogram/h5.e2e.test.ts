import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, key, north, places, transition } from '../helpers/factories.js';
import { bigJpeg, jpeg } from '../helpers/images.js';
import { RISKY_WORD, startFakeWechat, type FakeWechat } from '../fakes/wechat/server.js';
import { reports } from '../../server/db/schema.js';
import { fileTooLarge, notAnImage } from '../../server/files/images.js';
import { contentRefused } from '../../server/citizens/contentCheck.js';

// The citizen's side of the service, as a person on a phone would use it: the h5 build of the
// mini-program served at /m/ by the real server, driven in Debian's Chromium.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const H5_INDEX = path.join(root, 'miniprogram/dist/h5/index.html');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(root, 'tests/artifacts/miniprogram');
const ready = existsSync(H5_INDEX) && existsSync(CHROMIUM);

describe('mini-program h5 prerequisites', () => {
  it('has the h5 build and a browser', () => {
    expect(
      existsSync(H5_INDEX),
      'miniprogram/dist/h5/index.html is missing: run `npm run build -w miniprogram` (npm test does it)',
    ).toBe(true);
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei`).toBe(true);
  });
});

let t: TestContext;
let fake: FakeWechat;
let server: Server;
let base: string;
let browser: Browser;
const files = mkdtempSync(path.join(tmpdir(), 'mp-e2e-'));

const isPost = (r: Response, suffix: string) => r.request().method() === 'POST' && new URL(r.url()).pathname === suffix;

async function citizen(): Promise<{ page: Page; errors: string[] }> {
  // A fresh browser context is a fresh phone: its own storage, so its own citizen and draft.
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    geolocation: { latitude: places.huPan.lat, longitude: places.huPan.lng },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

async function shot(page: Page, name: string) {
  // Let the page slide-in finish, or the picture catches two pages half way.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  // Taro's h5 pages scroll inside their own container, which fullPage does not see: grow the
  // window to the page's height for the picture instead.
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => Math.max(...[...document.querySelectorAll('*')].map((e) => e.scrollHeight)));
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 4000)) });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await page.setViewportSize(viewport);
}

async function openReport(page: Page) {
  await page.goto(`${base}/m/#/pages/report/index`);
  await page.waitForSelector('#description textarea');
}

async function attach(page: Page, file: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#photo-add')]);
  await chooser.setFiles(file);
}

/** Types the description and waits for the suggestion, so no late answer races what follows. */
async function typeDescription(page: Page, text: string) {
  const classified = page.waitForResponse((r) => isPost(r, '/api/classify'));
  await page.fill('#description textarea', text);
  await classified;
}

function writeFile(name: string, data: Buffer | string) {
  const file = path.join(files, name);
  writeFileSync(file, data);
  return file;
}

async function reportsWithText(text: string) {
  return t.services.database.db.select({ id: reports.id }).from(reports).where(eq(reports.text, text));
}

describe.runIf(ready)('a citizen in the h5 mini-program, against the real server', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    fake = await startFakeWechat();
    t = await createTestContext({
      workers: true,
      env: {
        SERVE_UI: 'true',
        DEV_LOGIN: 'true',
        WECHAT_API_BASE: fake.url,
        WECHAT_APPID: fake.appid,
        WECHAT_SECRET: fake.secret,
      },
    });
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
    await t?.close();
    await fake?.close();
  });

  it('logs in, sees the suggested category, gets the location from the photo, submits and finds the case in 我的上报', async () => {
    const text = '湖畔花园门口的污水井盖破损了，晚上走路很危险';
    const { page, errors } = await citizen();
    await page.goto(`${base}/m/`);
    await page.waitForSelector('#home-report');
    await page.click('#home-report');
    await page.waitForSelector('#description textarea');

    const classified = page.waitForResponse((r) => isPost(r, '/api/classify'));
    await page.fill('#description textarea', text);
    const suggestion = await (await classified).json();
    expect(suggestion.minor?.name, 'the classifier names a 小类 for a broken manhole cover').toBeTruthy();
    await expect.poll(() => page.textContent('#category-name')).toContain(suggestion.minor.name);

    const loggedIn = page.waitForResponse((r) => isPost(r, '/api/citizen/dev-login'));
    const uploaded = page.waitForResponse((r) => isPost(r, '/api/citizen/uploads'));
    // Loopback is too fast to see an upload in flight: hold it back a moment.
    let release = () => {};
    let continued: Promise<void> = Promise.resolve();
    await page.route(
      '**/api/citizen/uploads',
      async (route) => {
        await new Promise<void>((resolve) => (release = resolve));
        continued = route.continue();
        await continued;
      },
      { times: 1 },
    );
    await attach(page, writeFile('manhole.jpg', await jpeg({ gps: places.huPan })));
    await page.waitForSelector('#photo-0.photo-status-uploading .photo-progress-text');
    expect(await page.textContent('#photo-0 .photo-progress-text')).toContain('上传中');
    expect(await page.locator('#report-submit[disabled]').count(), 'no submitting while a photo uploads').toBe(1);
    await shot(page, 'uploading');
    release();
    await continued;
    expect((await loggedIn).status()).toBe(200);
    const upload = await uploaded;
    expect(upload.status()).toBe(201);
    expect(upload.request().headers()['authorization']).toMatch(/^Bearer \S+/);
    await page.waitForSelector('#photo-0.photo-status-done');
    // The point from the photo's EXIF is shown as a place, not as numbers.
    await expect.poll(() => page.textContent('#location-place')).toContain('东湖街道湖畔社区');
    expect(await page.textContent('#location-source')).toContain('照片');
    await page.fill('#address-input input', '湖畔花园北门');
    await shot(page, 'report');

    const submitted = page.waitForResponse((r) => isPost(r, '/api/citizen/reports'));
    await page.click('#report-submit');
    const res = await submitted;
    expect(res.status()).toBe(201);
    const sent = res.request().postDataJSON();
    expect(sent.idempotencyKey).toBeTruthy();
    expect(sent.location.lat).toBeCloseTo(places.huPan.lat, 4);
    expect(sent.photos).toHaveLength(1);
    const created = await res.json();

    await page.waitForSelector('#submitted-banner');
    expect(await page.textContent('#submitted-banner')).toContain(created.caseNo);
    await page.waitForSelector('#detail-summary');
    expect(await page.textContent('#detail-description')).toContain(text);
    await page.waitForSelector('#photos-before taro-image-core');
    await shot(page, 'detail');

    await page.goto(`${base}/m/#/pages/mine/index`);
    await page.waitForSelector(`#report-${created.caseNo}`);
    await shot(page, 'mine');
    expect(errors).toEqual([]);
  }, 120_000);

  it('after staff resolve the case, the citizen sees the reply and the after photo, answers the survey and the case closes', async () => {
    // A phone of its own, whose citizen filed a case of its own earlier (through the API, away from
    // every other scenario's). The h5 build keeps its made-up openid in Taro's storage ({ data }
    // under 'dev-openid'): the phone signs in as that citizen.
    const openid = `h5-survey-${key()}`;
    const session = await t.http().post('/api/citizen/dev-login').send({ openid });
    expect(session.status).toBe(200);
    const reported = await t
      .http()
      .post('/api/citizen/reports')
      .set('Authorization', `Bearer ${session.body.token}`)
      .send({
        idempotencyKey: key(),
        text: '湖畔花园西门的污水井盖破损了，晚上走路很危险',
        location: north(places.huPan, 500),
        address: '湖畔花园西门',
      });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const filed = reported.body as { caseNo: string; caseId: string };
    const { page, errors } = await citizen();
    await page.context().addInitScript(
      ({ id, origin }) => {
        // Not on about:blank, whose storage is closed to scripts.
        if (location.origin === origin) localStorage.setItem('dev-openid', JSON.stringify({ data: id }));
      },
      { id: openid, origin: base },
    );
    const sup = await t.login('supervisor');
    const dept = await t.login('szss');
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
    const load = async () => (await t.http().get(`/api/cases/${filed.caseId}`).set(auth(sup))).body;
    const act = async (token: string, action: string, extra: Record<string, unknown> = {}) => {
      const version = (await load()).case.version;
      const r = await t
        .http()
        .post(`/api/cases/${filed.caseId}/transitions`)
        .set(auth(token))
        .send({ action, version, ...extra });
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
      return r.body.case;
    };
    const departments = (await t.http().get('/api/departments').set(auth(sup))).body;
    const szss = (departments.items ?? departments).find((d: { name: string }) => d.name === '市政设施管理处');
    expect(szss, 'the demo city has 市政设施管理处').toBeTruthy();

    if ((await load()).allowedActions.includes('register')) await act(sup, 'register');
    await act(sup, 'dispatch', { departmentId: szss.id });
    await act(dept, 'accept');
    const after = await t
      .http()
      .post('/api/uploads')
      .set(auth(dept))
      .attach('file', await jpeg({ color: '#5f8f6a' }), 'after.jpg');
    expect(after.status).toBe(201);
    const reply = '已更换新井盖，现场恢复通行';
    const resolved = await act(dept, 'resolve', { note: reply, attachments: [after.body.id] });
    if (resolved.state === '已处置') await act(sup, 'submit_check');
    expect((await act(sup, 'check_pass')).state).toBe('回访');

    const detailUrl = `${base}/m/#/pages/detail/index?caseNo=${filed.caseNo}`;
    // The survey may be opened by a job a moment after 回访: look again until it is there.
    await expect
      .poll(
        async () => {
          await page.goto('about:blank');
          await page.goto(detailUrl);
          await page.waitForSelector('#detail-summary');
          return page.locator('#survey').count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    expect(await page.textContent('#detail-reply')).toContain(reply);
    await page.waitForSelector('#photos-after taro-image-core');
    await shot(page, 'survey');

    const answered = page.waitForResponse((r) => isPost(r, `/api/citizen/reports/${filed.caseNo}/survey`));
    await page.click('#survey-option-0');
    await page.fill('#survey-comment textarea', '处理很及时，谢谢');
    await page.click('#survey-submit');
    expect((await answered).status()).toBe(200);
    await page.waitForSelector('#survey-result');
    expect(await page.textContent('#survey-result')).toContain('满意');
    await expect.poll(() => page.textContent('#detail-summary .state-tag')).toBe('结案');
    expect((await load()).case.state).toBe('结案');
    await shot(page, 'closed');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the server’s refusal of an oversized photo, a disguised file and forbidden text right where they are', async () => {
    const { page, errors } = await citizen();
    await openReport(page);

    // The messages are the server's own; the page must show them, not a generic failure.
    const tooBig = page.waitForResponse((r) => isPost(r, '/api/citizen/uploads'));
    await attach(page, writeFile('huge.jpg', await bigJpeg(10 * 1024 * 1024 + 1)));
    expect((await tooBig).status()).toBe(413);
    await page.waitForSelector('#photo-0 .photo-error-file_too_large');
    expect(await page.textContent('#photo-0-error')).toContain(fileTooLarge().message);

    const disguised = page.waitForResponse((r) => isPost(r, '/api/citizen/uploads'));
    await attach(page, writeFile('invoice.jpg', 'MZ\x90\x00 a renamed document, not a picture'));
    expect((await disguised).status()).toBe(415);
    await page.waitForSelector('#photo-1 .photo-error-not_an_image');
    expect(await page.textContent('#photo-1-error')).toContain(notAnImage().message);

    const text = `路边有人在卖${RISKY_WORD}的东西，请管一管`;
    await typeDescription(page, text);
    const refused = page.waitForResponse((r) => isPost(r, '/api/citizen/reports'));
    await page.click('#report-submit');
    expect((await refused).status()).toBe(422);
    await page.waitForSelector('#description-error');
    expect(await page.textContent('#description-error')).toContain(contentRefused().message);
    expect(await page.locator('#page-report').count(), 'the citizen stays on the form to fix it').toBe(1);
    expect(await reportsWithText(text)).toHaveLength(0);
    await shot(page, 'refusals');
    expect(errors).toEqual([]);
  }, 120_000);

  it('keeps the draft while offline, sends it when the network is back, and a retry after a lost answer never files twice', async () => {
    const { page, errors } = await citizen();
    await openReport(page);
    const offlineText = '望江公园东门的路灯坏了好几天，晚上一片漆黑';
    await typeDescription(page, offlineText);
    await page.context().setOffline(true);
    await page.click('#report-submit');
    await expect.poll(() => page.textContent('#offline-banner')).toContain('网络不可用，已保存草稿');
    const draft = await page.evaluate(() => localStorage.getItem('report-draft'));
    expect(draft).toContain(offlineText);
    await shot(page, 'offline');

    const resent = page.waitForResponse((r) => isPost(r, '/api/citizen/reports'));
    await page.context().setOffline(false);
    expect([200, 201]).toContain((await resent).status());
    await page.waitForSelector('#submitted-banner');
    expect(await reportsWithText(offlineText)).toHaveLength(1);

    // The server takes the report but its answer is lost on the way back.
    await openReport(page);
    const lostText = '春晖苑南门外的人行道砖松动翘起，老人容易绊倒';
    await typeDescription(page, lostText);
    let first: { caseNo: string } | null = null;
    await page.route('**/api/citizen/reports', async (route) => {
      if (route.request().method() !== 'POST' || first) return route.continue();
      first = await (await route.fetch()).json();
      await route.abort('connectionreset');
    });
    await page.click('#report-submit');
    await page.waitForSelector('#offline-retry');
    await page.unroute('**/api/citizen/reports');
    expect(first, 'the first attempt reached the server').not.toBeNull();

    const retried = page.waitForResponse((r) => isPost(r, '/api/citizen/reports'));
    await page.click('#offline-retry');
    const again = await retried;
    expect(again.status(), 'a replayed key answers 200 with the first result').toBe(200);
    expect((await again.json()).caseNo).toBe(first!.caseNo);
    await page.waitForSelector('#submitted-banner');
    expect(await reportsWithText(lostText)).toHaveLength(1);
    expect(errors).toEqual([]);
  }, 120_000);

  it('looks a case up by its number, and the home page lists handled cases nearby', async () => {
    // Its own case, filed at the hotline and closed by a supervisor near this phone.
    const text = '湖畔社区南门的井盖松动了，车开过去哐哐响';
    const [agent, sup, dept] = [await t.login('agent'), await t.login('supervisor'), await t.login('szss')];
    const own = await fileReport(t, agent, { text, location: north(places.huPan, 700), address: '湖畔社区南门' });
    for (const [token, body] of [
      [sup, { action: 'dispatch' }],
      [dept, { action: 'accept' }],
      [dept, { action: 'resolve', note: '已加固井盖' }],
      [sup, { action: 'check_pass' }],
      [sup, { action: 'close', note: '市民电话确认已修好' }],
    ] as const) {
      const r = await transition(t, token, own.id, { ...body });
      expect(r.status, `${body.action}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    const { page, errors } = await citizen();
    await page.goto(`${base}/m/#/pages/query/index`);
    await page.waitForSelector('#query-input input');
    await page.fill('#query-input input', own.caseNo);
    await page.click('#query-submit');
    await page.waitForSelector('#query-result');
    expect(await page.textContent('#query-result')).toContain(own.caseNo);
    expect(await page.textContent('#query-result')).not.toContain(text);
    await shot(page, 'query');

    await page.fill('#query-input input', '2000010100001');
    await page.click('#query-submit');
    await page.waitForSelector('#query-error');
    expect(await page.textContent('#query-error')).toContain('未找到');

    const nearbyReply = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/public/cases');
    await page.goto(`${base}/m/`);
    await page.waitForSelector('#home-report');
    // Its own closed case is among the handled cases near this phone, and the list shows them.
    const nearby = (await (await nearbyReply).json()) as { items: Array<{ caseNo: string }> };
    expect(nearby.items.map((i) => i.caseNo)).toContain(own.caseNo);
    await page.waitForSelector('#nearby .nearby-item');
    const box = await page.locator('#home-report').boundingBox();
    expect(box!.height, 'the main action is a large touch target').toBeGreaterThanOrEqual(44);
    await shot(page, 'home');
    expect(errors).toEqual([]);
  }, 120_000);
});
