import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { compiledIsCurrent } from '../../scripts/start.mjs';
// @ts-expect-error: a plain .mjs script without types
import { EXTERNAL } from '../../scripts/bundle.mjs';
import type { DecodedModel } from '../../nlp/classifier/preread.js';
import { deserializeStaged } from '../../nlp/classifier/staged.js';
import { createTestDatabase } from '../helpers/db.js';
import { repoRoot, serverEntry, startServerProcess, stopProcess, type ServerProcess } from '../helpers/process.js';

// CI builds dist/ before the tests (`npm run build` in .ci/run); elsewhere this file needs a current build.
const built: boolean = compiledIsCurrent();
const serverDist = path.join(repoRoot, 'dist/server');

/** What each file of the bundle imports, as esbuild reported it when it wrote them (scripts/bundle.mjs). */
type Imports = Record<string, Array<{ name: string; kind: string }>>;
const bundleImports = (): Imports => JSON.parse(readFileSync(path.join(serverDist, 'bundle-imports.json'), 'utf8'));

function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const all = bundleImports()[file] ?? [];
  const names = (dynamic: boolean) => all.filter((i) => (i.kind === 'dynamic-import') === dynamic).map((i) => i.name);
  return { static: names(false), dynamic: names(true) };
}

/** What a start links before it runs anything: main.js and the files it imports statically, transitively. */
function linkedAtStart(): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    if (name.startsWith('./')) for (const next of importsOf(name.slice(2)).static) visit(next);
  };
  visit('./main.js');
  return seen;
}

const isExternal = (name: string) =>
  (EXTERNAL as string[]).some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern || name.startsWith(`${pattern}/`),
  );

describe.skipIf(!built && !process.env.CI)('the production build: the service bundled into dist/server/main.js', () => {
  let server: ServerProcess | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  afterAll(async () => {
    if (server) await stopProcess(server);
    await database?.close();
  });

  it('is built and current in CI', () => {
    expect(built).toBe(true);
  });

  it("imports none of tsc's modules: only its own chunks, Node's modules and the packages kept outside", () => {
    const files = Object.keys(bundleImports());
    expect(files).toEqual(expect.arrayContaining(['main.js']));
    expect(files.sort()).toEqual(
      readdirSync(serverDist)
        .filter((f) => /^(main|bundle-[\w-]+)\.js$/.test(f))
        .sort(),
    );
    const strays = files.flatMap((file) =>
      [...importsOf(file).static, ...importsOf(file).dynamic]
        .filter((name) => !/^\.\/bundle-[\w-]+\.js$/.test(name))
        .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name))
        .filter((name) => !isExternal(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(strays).toEqual([]);
    // What the service loads only when it needs it stays out of a start: the chat library (a wechaty channel)
    // and sharp (a photo) are linked by no file a start links.
    const atStart = [...linkedAtStart()];
    expect(atStart.length).toBeGreaterThan(1);
    expect(atStart.filter((name) => name.startsWith('wechaty') || name === 'sharp')).toEqual([]);
  });

  it('reads the classifier’s model on a worker thread: the same model as read on the thread that asks', async () => {
    const { prereadModel } = await import(pathToFileURL(path.join(repoRoot, 'dist/nlp/classifier/preread.js')).href);
    const modelPath = path.join(repoRoot, 'dist/nlp/model/model.json');
    const read: DecodedModel = await prereadModel(modelPath);
    const here = deserializeStaged(readFileSync(modelPath, 'utf8'));
    expect(read.path).toBe(modelPath);
    expect(read.meta).toEqual(here.meta);
    // Compared as bytes: a deep comparison of 2.4 million weights takes the test runner seconds.
    const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const stage of ['gate', 'minor'] as const) {
      const [theirs, ours] = [read.model[stage], here.model[stage]];
      expect({ ...theirs, index: null, idf: null, weights: null, bias: null }).toEqual({
        ...ours,
        index: null,
        idf: null,
        weights: null,
        bias: null,
      });
      expect([...theirs.index]).toEqual([...ours.index]);
      for (const array of ['idf', 'weights', 'bias'] as const)
        expect(bytes(theirs[array]).equals(bytes(ours[array]))).toBe(true);
    }
    expect({ ...read.model, gate: null, minor: null }).toEqual({ ...here.model, gate: null, minor: null });
    expect(await prereadModel(path.join(repoRoot, 'dist/nlp/model/absent.json'))).toBeNull();
  });

  it('starts from it, finds its files beside tsc’s (migrations, model, taxonomy, admin UI), classifies and takes a report', async () => {
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-bundle-')),
      OPEN311_API_KEYS: 'bundle-key',
      SESSION_SECRET: 'b'.repeat(40),
      PHONE_ENCRYPTION_KEY: '77'.repeat(32),
      PHONE_HASH_KEY: '88'.repeat(32),
      SERVE_UI: existsSync(path.join(repoRoot, 'admin/dist/index.html')) ? 'true' : 'false',
      LOG_LEVEL: 'info',
    };
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url!;
    }
    server = await startServerProcess(env, 90_000, serverEntry.compiled);
    // Its model was read on a worker thread while it loaded and opened its database (nlp/classifier/preread.ts).
    await expect
      .poll(() => server!.output())
      .toMatch(/classifier: loaded [^"]*dist\/nlp\/model\/model\.json[^"]*read on a worker thread/);

    const suggested = await fetch(`${server.url}/api/classify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '小区门口天天有人摆摊卖水果，把路都占了' }),
    });
    expect(suggested.status).toBe(200);
    expect((await suggested.json()).kind).toBe('事件');

    const categories = await (await fetch(`${server.url}/api/categories`)).json();
    expect(categories.items.find((m: { code: string }) => m.code === '2005')).toBeTruthy();

    const form = new URLSearchParams({
      api_key: 'bundle-key',
      service_code: '200201',
      lat: '30.201',
      long: '120.101',
      address_string: '东湖路1号',
      description: '电线杆上贴满了小广告，牛皮癣撕了又贴',
    });
    const created = await fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', body: form });
    expect(created.status).toBe(201);
    const [{ service_request_id: id }] = await created.json();
    const read = await (await fetch(`${server.url}/open311/v2/requests/${id}.json`)).json();
    expect(read[0].service_request_id).toBe(id);

    if (env.SERVE_UI === 'true') {
      const admin = await fetch(`${server.url}/admin/`);
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain('<div id="root">');
    }
  });
});
