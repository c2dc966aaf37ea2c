import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { repoRoot } from '../helpers/process.js';

let t: TestContext;
beforeAll(async () => {
  for (const f of ['admin/dist/index.html', 'miniprogram/dist/h5/index.html']) {
    if (!existsSync(path.join(repoRoot, f)))
      throw new Error(`${f} is missing: run npm test (it builds the UIs) or node scripts/uis.mjs`);
  }
  t = await createTestContext({ jobs: false, env: { SERVE_UI: 'true' } });
});
afterAll(() => t.close());

describe('the built UIs under /admin/ and /m/', () => {
  it('serves the console and the mini-program h5 build', async () => {
    const admin = await t.http().get('/admin/');
    expect(admin.status).toBe(200);
    expect(admin.headers['content-type']).toMatch(/text\/html/);
    expect(admin.headers['cache-control']).toBe('no-cache');
    const m = await t.http().get('/m/');
    expect(m.status).toBe(200);
    expect((await t.http().get('/admin')).status).toBe(302);
  });

  it('falls back to index.html for client-side routes and keeps paths inside the build', async () => {
    const deep = await t.http().get('/admin/cases/some-id');
    expect(deep.status).toBe(200);
    expect(deep.text).toContain('<div id="root">');
    const escape = await t.http().get('/admin/..%2f..%2fpackage.json');
    expect(escape.text).not.toContain('"workspaces"');
  });

  it('sends precompressed, long-cached assets to browsers that accept them', async () => {
    const asset = readdirSync(path.join(repoRoot, 'admin/dist/assets')).find(
      (f) => f.endsWith('.js') && existsSync(path.join(repoRoot, 'admin/dist/assets', `${f}.br`)),
    )!;
    const br = await t.http().get(`/admin/assets/${asset}`).set('Accept-Encoding', 'br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toMatch(/immutable/);
    const plain = await t.http().get(`/admin/assets/${asset}`).set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
  });
});
