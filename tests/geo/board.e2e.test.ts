import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport } from '../helpers/factories.js';
import { CHROMIUM, launch, openDesk, shot } from '../admin/browser.js';
import { caseEvents, cases } from '../../server/db/schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ready = existsSync(path.join(root, 'admin/dist/board.html')) && existsSync(CHROMIUM);
const PHONE = '13912345678';

describe.runIf(ready)('the public board page', () => {
  let t: TestContext;
  let server: Server;
  let base: string;
  let browser: Browser;
  let caseNo: string;

  beforeAll(async () => {
    t = await createTestContext({ jobs: false, env: { SERVE_UI: 'true' } });
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const agent = await t.login('agent');
    const filed = await fileReport(t, agent, {
      text: `望江公园门口井盖丢了，我是李四，电话${PHONE}`,
      address: '望江小区7幢302室',
      phone: PHONE,
      location: { lat: 30.2461234, lng: 120.1354321 },
    });
    caseNo = filed.caseNo;
    const db = t.services.database.db;
    await db.insert(caseEvents).values([
      { caseId: filed.id, actorType: 'department', action: 'resolve', toState: '已处置', note: '已更换新井盖' },
      { caseId: filed.id, actorType: 'system', action: 'close', toState: '结案' },
    ]);
    await db.update(cases).set({ state: '结案', closedAt: new Date() }).where(eq(cases.id, filed.id));
    await fileReport(t, agent, {
      text: '春晖苑门口路灯不亮',
      categoryCode: '100118',
      location: { lat: 30.27, lng: 120.12 },
    });
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
    await t?.close();
  });

  it('lists a closed case by street, with the department’s reply and no personal data', async () => {
    const { page, errors } = await openDesk(browser);
    await page.goto(`${base}/public/`);
    const row = page.locator(`[data-testid="board-case"][data-case-no="${caseNo}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('已办结');
    const text = await row.innerText();
    expect(text).toContain('东湖街道 望江社区');
    expect(text).toContain('已更换新井盖');
    await page.locator('[data-testid="board-street-figures"][data-street="东湖街道"]').waitFor();
    expect(
      await page.locator('[data-testid="board-street-figures"][data-street="东湖街道"]').getAttribute('data-received'),
    ).toBe('2');
    const whole = await page.locator('body').innerText();
    for (const personal of [PHONE, '139****5678', '李四', '望江小区7幢', '302', '井盖丢了'])
      expect(whole).not.toContain(personal);
    await page.locator('[data-testid="board-map"][data-center-lat]').waitFor();
    const file = path.join(root, 'tests/artifacts/board.png');
    mkdirSync(path.dirname(file), { recursive: true });
    await shot(page, file);
    // The README's picture is refreshed only on request, so a test run leaves the tree as it was.
    if (process.env.UPDATE_SCREENSHOTS === '1')
      copyFileSync(file, path.join(root, 'docs/screenshots/public-board.png'));
    expect(errors).toEqual([]);
  }, 180_000);
});
