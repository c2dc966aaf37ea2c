import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Locator, type Page, type Request } from 'playwright-core';
import { PASSWORDS } from '../helpers/context.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Long enough for a cold chunk, a classifier call and a transaction on a busy 2-core machine. */
export const STEP_MS = 45_000;

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface Staff {
  page: Page;
  /** Uncaught errors in the page and 5xx answers from the API: both must stay empty. */
  errors: string[];
}

/** A fresh browser context is a fresh desk: its own cookie, so its own session. */
export async function openDesk(browser: Browser): Promise<Staff> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    // The dashboard's default period is computed in the browser; the server counts days in Asia/Shanghai.
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  // E2E_CPU_THROTTLE=8 slows the page's CPU eightfold (Chromium's own throttling), to look for races a busy machine shows.
  if (process.env.E2E_CPU_THROTTLE) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.E2E_CPU_THROTTLE) });
  }
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return { page, errors };
}

export const byTestId = (page: Page | Locator, id: string) => page.locator(`[data-testid="${id}"]`);

/** Signs in through the login form the console has sent the browser to. */
export async function signIn(page: Page, username: keyof typeof PASSWORDS) {
  await byTestId(page, 'login-username').fill(username);
  await byTestId(page, 'login-password').fill(PASSWORDS[username]);
  await byTestId(page, 'login-submit').click();
  await byTestId(page, 'current-user').waitFor();
}

/** Waits until CSS animations and transitions (modals, tabs, ECharts' SVG) have settled, then shoots. */
export async function shot(page: Page, file: string) {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  await page.screenshot({ path: file, fullPage: true });
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A picture the README shows: shot into tests/artifacts/admin, copied over docs/screenshots/<name> only
 * on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree as it was.
 */
export async function readmeShot(page: Page, name: string) {
  const dir = path.join(ROOT, 'tests/artifacts/admin');
  mkdirSync(dir, { recursive: true });
  await shot(page, path.join(dir, name));
  if (process.env.UPDATE_SCREENSHOTS === '1')
    copyFileSync(path.join(dir, name), path.join(ROOT, 'docs/screenshots', name));
}

/** ECharts animates with timers, not CSS: the chart is drawn once its SVG stops changing. */
export async function chartSettled(page: Page, testId: string) {
  let last = '';
  let same = 0;
  const end = Date.now() + STEP_MS;
  while (same < 3) {
    if (Date.now() > end) throw new Error(`chart ${testId} never settled`);
    const now = await byTestId(page, testId).locator('svg').first().innerHTML();
    same = now === last && now.includes('<path') ? same + 1 : 0;
    last = now;
    await page.waitForTimeout(150);
  }
}

export interface FirstScreen {
  /** From page.goto('/admin/') to the login form being visible, as the person waits for it. */
  visibleMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  resources: number;
  transferredBytes: number;
  /** File names of the scripts the first screen loaded. */
  scripts: string[];
}

/** Loads /admin/ in a cold context and times it until the login form shows. */
export async function measureFirstScreen(page: Page, base: string): Promise<FirstScreen> {
  const started = Date.now();
  await page.goto(`${base}/admin/`, { waitUntil: 'commit' });
  await byTestId(page, 'login-username').waitFor({ state: 'visible' });
  const visibleMs = Date.now() - started;
  await page.waitForFunction(
    () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)?.loadEventEnd > 0,
  );
  const perf = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    return {
      domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd - nav.startTime),
      loadMs: Math.round(nav.loadEventEnd - nav.startTime),
      resources: res.length,
      transferredBytes: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
      scripts: res.map((r) => new URL(r.name).pathname.split('/').pop() ?? '').filter((f) => f.endsWith('.js')),
    };
  });
  return { visibleMs, ...perf };
}

export interface BundleSizes {
  files: number;
  jsBytes: number;
  jsGzipBytes: number;
  largest: Array<{ file: string; bytes: number; gzipBytes: number }>;
}

export function bundleSizes(assetsDir: string): BundleSizes {
  const js = readdirSync(assetsDir)
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const body = readFileSync(path.join(assetsDir, file));
      return { file, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    })
    .sort((a, b) => b.bytes - a.bytes);
  return {
    files: js.length,
    jsBytes: js.reduce((n, f) => n + f.bytes, 0),
    jsGzipBytes: js.reduce((n, f) => n + f.gzipBytes, 0),
    largest: js.slice(0, 4),
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Clicks the dialog's submit button and returns the request it sent. A click that sent nothing
 * and left no message on the form (once seen in CI, under load) is made once more, as the person
 * at the desk would; the button ignores clicks while a request is under way, so nothing is sent twice.
 */
export async function submitDialog(page: Page, dialog: Locator, action: string): Promise<Request> {
  const isTransition = (r: Request) => r.method() === 'POST' && r.url().endsWith('/transitions');
  for (let attempt = 1; ; attempt++) {
    const sent = page.waitForRequest(isTransition, { timeout: attempt === 1 ? 10_000 : STEP_MS });
    await byTestId(page, 'transition-submit').click();
    try {
      return await sent;
    } catch {
      const shows = await dialog.innerText().catch(() => '(gone)');
      const complaint = dialog.locator('.ant-form-item-explain-error, [data-testid="transition-error"]');
      if (attempt > 1 || (await complaint.count()) > 0)
        throw new Error(`${action}: the dialog sent no request; it shows: ${shows}`);
      console.warn(
        `[admin e2e] ${action}: a click on submit sent nothing in 10 s; clicking again (the dialog shows: ${shows})`,
      );
    }
  }
}
