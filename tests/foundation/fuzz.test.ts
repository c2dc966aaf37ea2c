import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Koa from 'koa';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { backend } from '../helpers/db.js';
import { startFakeWechat, type FakeWechat } from '../fakes/wechat/server.js';

/**
 * Every route the app serves, taken from the routers' own layers (not a hand-kept list), gets
 * malformed input as anonymous, as a citizen and as each staff role. Nothing may answer 5xx,
 * hang, or kill the process; our routes answer {error:{code}}, Open311's its own shape.
 */

let t: TestContext;
let fake: FakeWechat;
const tokens: Record<string, string | null> = { anonymous: null };

beforeAll(async () => {
  fake = await startFakeWechat();
  t = await createTestContext({
    env: {
      WECHAT_API_BASE: fake.url,
      WECHAT_APPID: fake.appid,
      WECHAT_SECRET: fake.secret,
      OPEN311_API_KEYS: 'fuzz-key',
      SERVE_UI: 'true',
      DEV_LOGIN: 'true',
      // Limits would turn most of the sweep into 429s before it reaches validation.
      PUBLIC_READ_RATE_PER_MINUTE: '1000000',
      CLASSIFY_RATE_PER_MINUTE: '1000000',
      UPLOAD_RATE_PER_HOUR: '1000000',
      LOGIN_MAX_FAILURES: '100000',
    },
  });
  for (const role of ['admin', 'supervisor', 'agent', 'szss'] as const) tokens[role] = await t.login(role);
  const citizen = await t.http().post('/api/citizen/dev-login').send({ openid: 'fuzz-citizen' });
  tokens.citizen = citizen.body.token;
}, 60_000);
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

interface Route {
  method: string;
  path: string;
}

/** The routes of the app createApp built: each router's layers with their methods. */
function routesOf(app: Koa): Route[] {
  const seen = new Set<string>();
  const out: Route[] = [];
  for (const mw of app.middleware as any[]) {
    for (const layer of mw.router?.stack ?? []) {
      for (const method of layer.methods as string[]) {
        if (method === 'HEAD') continue;
        const id = `${method} ${layer.path}`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ method, path: layer.path });
      }
    }
  }
  return out;
}

const LONE = '\ud800';
const paramValues = [
  '00000000-0000-0000-0000-000000000000',
  '2147483648',
  '99999999999999999999999',
  '%00',
  'a%ZZb',
  '%ED%A0%80',
  'x'.repeat(3000),
  '2026112200001.json',
];
const queries = [
  'areaId=2147483648&departmentId=99999999999&page=1e400&pageSize=-1',
  'q=%00&state=%00&categoryCode=%00',
  'from=0000-01-01&to=0000-12-31&start_date=0000-01-01T00:00:00Z&end_date=0000-12-31T00:00:00Z',
  'before=99999999999999999999&limit=abc&lat=NaN&lng=Infinity',
  `q=${'a'.repeat(5000)}&service_request_id=${'1,'.repeat(2000)}`,
  'a[b][c][d][e]=1&status=open,closed&service_code=%ED%A0',
];
const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const keys = [
  'text',
  'username',
  'password',
  'idempotencyKey',
  'areaId',
  'departmentId',
  'version',
  'action',
  'categoryCode',
  'location',
  'address',
  'phone',
  'name',
  'note',
  'hours',
  'displayName',
  'role',
  'code',
  'openid',
  'result',
  'comment',
  'reportId',
  'deadlineHours',
  'api_key',
  'service_code',
  'description',
  'lat',
  'long',
  'email',
  'media_url',
  'contactId',
  'templateIds',
  'accepted',
  'active',
  'extension',
  'photos',
  'attachments',
];
const fill = (v: unknown) => JSON.stringify(Object.fromEntries(keys.map((k) => [k, v])));
/** [label, content type, body] */
const bodies: Array<[string, string, string]> = [
  ['NUL strings', 'application/json', fill('a\u0000b')],
  ['lone surrogate (escaped)', 'application/json', `{"text":"\\ud800","username":"\\udfff","description":"x\\ud800"}`],
  ['lone surrogate strings', 'application/json', fill(`x${LONE}`)],
  ['int4 overflow', 'application/json', fill(2 ** 31)],
  ['huge numbers', 'application/json', fill(1e308)],
  ['negative', 'application/json', fill(-1)],
  ['empty strings', 'application/json', fill('')],
  ['nulls', 'application/json', fill(null)],
  ['arrays', 'application/json', fill([[1], { a: 1 }])],
  ['objects', 'application/json', fill({ lat: 'x', toString: 1 })],
  ['year 0', 'application/json', fill('0000-01-01T00:00:00Z')],
  ['long strings', 'application/json', fill('长'.repeat(20_000))],
  ['deep nesting', 'application/json', deep(800)],
  ['malformed JSON', 'application/json', '{"text": "unterminated'],
  ['empty JSON body', 'application/json', ''],
  ['form to a JSON route', 'application/x-www-form-urlencoded', 'text=%00&a[b][c]=1&&&=&areaId=99999999999'],
  ['text body', 'text/plain', 'hello\u0000'],
  [
    'junk multipart',
    'multipart/form-data; boundary=xx',
    '--xx\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
  ],
  ['over the body limit', 'application/json', JSON.stringify({ text: 'x'.repeat(1_100_000) })],
];

const isOpen311 = (path: string) => path.startsWith('/open311/');
const pathFor = (route: Route, i: number) =>
  route.path.replace(/:(\w+)/g, (_m, _name, offset) => paramValues[(i + offset) % paramValues.length]);

async function send(
  route: Route,
  url: string,
  role: string,
  body?: [string, string, string],
  extra?: [string, string],
) {
  let req = (t.http() as any)[route.method.toLowerCase()](url).timeout({ response: 15_000, deadline: 20_000 });
  const token = tokens[role];
  if (token) req = req.set('Authorization', `Bearer ${token}`);
  if (extra) req = req.set(extra[0], extra[1]);
  if (body) req = req.set('content-type', body[1]).send(body[2]);
  try {
    return await req;
  } catch (err: any) {
    if (err.response) return err.response;
    return { status: 0, error: String(err?.code ?? err?.message ?? err), headers: {}, body: undefined, text: '' };
  }
}

/** A problem with the answer, or null when it is a proper 2xx-4xx in the path's error shape. */
function problem(path: string, res: any): string | null {
  if (!res.status) return `no answer (${res.error})`;
  // The one 5xx that is not about the input: the chat bot does not run in tests, and says so.
  const botDown = res.status === 503 && path.startsWith('/api/chat/') && res.body?.error?.code === 'unavailable';
  if (res.status >= 500 && !botDown) return `${res.status}`;
  if (res.status < 400) return null;
  const type = String(res.headers['content-type'] ?? '');
  if (isOpen311(path)) {
    const ok =
      type.includes('xml') ||
      (Array.isArray(res.body) && res.body[0]?.description !== undefined) ||
      typeof res.body?.error?.code === 'string';
    return ok ? null : `${res.status} not in Open311's error shape`;
  }
  if (!type.includes('json') || typeof res.body?.error?.code !== 'string')
    return `${res.status} without {error:{code}}`;
  return null;
}

describe(`fuzzing every route on ${backend}`, () => {
  it('finds the routes in the routers', () => {
    const routes = routesOf(t.app);
    expect(routes.length).toBeGreaterThan(60);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/staff/:id/unlock' });
    expect(routes).toContainEqual({ method: 'POST', path: '/open311/v2/requests.:format' });
  });

  it('answers malformed input with a 4xx in the right shape, never a 5xx or a hang', async () => {
    const started = Date.now();
    // Logging out ends the session the sweep uses; the screen-pop stream never ends by design.
    const routes = routesOf(t.app).filter((r) => r.path !== '/api/auth/logout' && !r.path.endsWith('/stream'));
    const failures: string[] = [];
    let sent = 0;
    const check = async (
      route: Route,
      url: string,
      role: string,
      body?: [string, string, string],
      extra?: [string, string],
    ) => {
      const res = await send(route, url, role, body, extra);
      sent++;
      const p = problem(url, res);
      if (p) failures.push(`${role} ${route.method} ${url.slice(0, 120)}${body ? ` [${body[0]}]` : ''}: ${p}`);
    };
    for (const [ri, route] of routes.entries()) {
      const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
      // The most permitted role reaches validation everywhere: every input, parameters rotating.
      for (const [i, input] of (hasBody ? bodies : queries).entries()) {
        const url = pathFor(route, i);
        if (hasBody) await check(route, url, 'admin', input as [string, string, string]);
        else await check(route, `${url}?${input}`, 'admin');
      }
      for (const [i] of paramValues.entries()) {
        if (!route.path.includes(':')) break;
        await check(route, pathFor(route, i), 'admin', hasBody ? bodies[0] : undefined);
      }
      // Every other caller gets a few of the same, so their own code paths (401, 403, scoping) are swept too.
      for (const role of Object.keys(tokens).filter((r) => r !== 'admin')) {
        for (let k = 0; k < 2; k++) {
          const i = ri + k * 7 + role.length;
          const url = pathFor(route, i);
          if (hasBody) await check(route, url, role, bodies[i % bodies.length]);
          else await check(route, `${url}?${queries[i % queries.length]}`, role);
        }
      }
      // An over-long idempotency header, on whatever the route is.
      await check(route, pathFor(route, ri), 'agent', hasBody ? bodies[4] : undefined, [
        'Idempotency-Key',
        'k'.repeat(3000),
      ]);
    }
    // Paths the static serving and the routers decode themselves.
    for (const url of [
      '/admin/%E0%A4%A',
      '/m/%ZZ',
      '/m/js/%ED%A0%80.js',
      '/admin/..%2f..%2fpackage.json',
      '/api/cases/%ZZ',
    ]) {
      await check({ method: 'GET', path: url }, url, 'anonymous');
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1500);
    // Still alive and still serving.
    expect((await t.http().get('/healthz')).status).toBe(200);
    expect((await t.http().get('/api/auth/me').set('Authorization', `Bearer ${tokens.admin}`)).status).toBe(200);
    expect(t.logLines.filter((l) => l.includes('"level":50'))).toEqual([]);
    console.log(`fuzz on ${backend}: ${sent} requests over ${routes.length} routes in ${Date.now() - started} ms`);
  }, 240_000);
});
