import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import sharp from 'sharp';
import type { Response } from 'supertest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { buildReport, key, places } from '../helpers/factories.js';
import { startFakeWechat, type FakeWechat } from '../fakes/wechat/server.js';
import {
  buildOpenApi,
  mountedRoutes,
  openApiPath,
  orphans,
  undeclared,
  type OpenApiDocument,
} from '../../server/routes/openapi/document.js';

/**
 * The document is built from the routers the app mounts: every route is in it with a declared
 * answer, and what the running app answers matches it. Objects the presenters make exactly are
 * `additionalProperties: false` in the document, so a field added to a presenter and not to its
 * declaration fails here.
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

let t: TestContext;
let fake: FakeWechat;
let doc: OpenApiDocument;
const tokens: Record<string, string> = {};
let ajv: Ajv2020;
const checked = new Set<string>();

beforeAll(async () => {
  fake = await startFakeWechat();
  t = await createTestContext({
    env: {
      WECHAT_API_BASE: fake.url,
      WECHAT_APPID: fake.appid,
      WECHAT_SECRET: fake.secret,
      OPEN311_API_KEYS: 'partner-key',
      DEV_LOGIN: 'true',
    },
  });
  for (const role of ['admin', 'supervisor', 'agent', 'szss'] as const) tokens[role] = await t.login(role);
  tokens.citizen = (await t.http().post('/api/citizen/dev-login').send({ openid: 'openapi-citizen' })).body.token;
  doc = (await t.http().get('/openapi.json')).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
}, 180_000);
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const validators = new Map<string, ValidateFunction>();

/** Checks one answer against the document: its status is declared, and a JSON body matches the schema. */
function conforms(res: Response, method: string, route: string): string[] {
  const path = openApiPath(route);
  const op = (doc.paths as Record<string, Record<string, { responses: Record<string, { content?: object }> }>>)[path]?.[
    method.toLowerCase()
  ];
  if (!op) return [`${method} ${route}: not in the document`];
  const declared = op.responses[String(res.status)];
  if (!declared) return [`${method} ${route}: status ${res.status} not declared (${JSON.stringify(res.body)})`];
  checked.add(`${method} ${route}`);
  const type = String(res.headers['content-type'] ?? '').split(';')[0];
  const content = (declared.content ?? {}) as Record<string, { schema?: unknown }>;
  if (res.status === 204) return [];
  if (!content[type]) return [`${method} ${route}: ${res.status} answered ${type}, declared ${Object.keys(content)}`];
  if (type !== 'application/json' || !content[type].schema) return [];
  const ref = `openapi#/${pointer('paths', path, method.toLowerCase(), 'responses', String(res.status), 'content', type, 'schema')}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  if (validate(res.body)) return [];
  return [`${method} ${route} ${res.status}: ${ajv.errorsText(validate.errors)}`];
}

type Who = keyof typeof tokens | null;
interface Call {
  who: Who;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  route: string;
  url?: string;
  body?: unknown;
  form?: Record<string, string>;
}

async function call(c: Call): Promise<Response> {
  const url = c.url ?? c.route;
  const agent = t.http();
  let req =
    c.method === 'GET'
      ? agent.get(url)
      : c.method === 'POST'
        ? agent.post(url)
        : c.method === 'PUT'
          ? agent.put(url)
          : agent.delete(url);
  if (c.who) req = req.set('Authorization', `Bearer ${tokens[c.who]}`);
  if (c.form) return req.type('form').send(c.form);
  return c.body === undefined ? req : req.send(c.body as object);
}

const failures: string[] = [];
let answers = 0;
async function check(c: Call): Promise<Response> {
  const res = await call(c);
  answers++;
  failures.push(...conforms(res, c.method, c.route));
  return res;
}

describe('the OpenAPI document', () => {
  it('lists every mounted route, each with a declared answer', () => {
    const mounted = mountedRoutes(t.app).map((r) => `${r.method} ${r.path}`);
    expect(mounted.length).toBeGreaterThan(80);
    expect(undeclared(t.app)).toEqual([]);
    const operations = Object.values(doc.paths).flatMap((methods) => Object.keys(methods));
    expect(operations.length).toBe(mounted.length);
    const tagged = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods as Record<string, { tags: string[] }>).filter((op) => op.tags.includes('undeclared')),
    );
    expect(tagged).toEqual([]);
  });

  it('declares no route the app does not mount (WeChat server URLs only when configured)', () => {
    const unmounted = orphans(t.app).filter(
      (k) => !k.includes('/wechat/official-account') && !k.includes('/wechat/mini-program'),
    );
    expect(unmounted).toEqual([]);
  });

  it('takes request schemas from the routes: validated bodies, queries and path parameters appear', () => {
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
    const transitions = paths['/api/cases/{id}/transitions'].post;
    const body = (transitions.requestBody as { content: Record<string, { schema: { properties: object } }> }).content[
      'application/json'
    ].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['action', 'version']));
    const list = paths['/api/cases'].get.parameters as Array<{ name: string; in: string }>;
    expect(list.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(expect.arrayContaining(['state', 'page']));
    const stream = paths['/api/inboxes/stream'].get.responses as Record<string, { content: object }>;
    expect(Object.keys(stream['200'].content)).toEqual(['text/event-stream']);
    const hook = doc.webhooks.caseChanged.post.requestBody.content['application/json'].schema;
    expect(hook).toEqual({ $ref: '#/components/schemas/CaseDelivery' });
    const open311 = paths['/open311/v2/requests.{format}'].get.parameters as Array<{ name: string }>;
    expect(open311.map((p) => p.name)).toEqual(expect.arrayContaining(['format', 'api_key', 'start_date']));
  });

  it('matches what the running app answers', async () => {
    const staffCalls: Call[] = [
      { who: 'admin', method: 'GET', route: '/api/auth/me' },
      { who: null, method: 'GET', route: '/api/auth/me' },
      { who: null, method: 'POST', route: '/api/auth/login', body: { username: 'admin', password: 'wrong-password' } },
      { who: 'agent', method: 'GET', route: '/api/categories' },
      { who: 'agent', method: 'GET', route: '/api/areas' },
      { who: 'agent', method: 'GET', route: '/api/departments' },
      { who: 'admin', method: 'GET', route: '/api/routing-rules' },
      { who: 'admin', method: 'GET', route: '/api/staff' },
      { who: 'agent', method: 'GET', route: '/api/staff' },
      { who: 'agent', method: 'GET', route: '/api/inboxes' },
      { who: 'supervisor', method: 'GET', route: '/api/inboxes' },
      { who: 'szss', method: 'GET', route: '/api/inboxes' },
      { who: 'supervisor', method: 'GET', route: '/api/review-queue' },
      { who: 'supervisor', method: 'GET', route: '/api/stats' },
      { who: 'supervisor', method: 'GET', route: '/api/stats.csv' },
      { who: 'supervisor', method: 'GET', route: '/api/deliveries/dead' },
      { who: 'supervisor', method: 'GET', route: '/api/jobs/failed' },
      { who: 'agent', method: 'GET', route: '/api/surveys/callbacks' },
      { who: 'agent', method: 'GET', route: '/api/screen-pop/current' },
      { who: 'agent', method: 'GET', route: '/api/chat/conversations' },
      { who: 'admin', method: 'GET', route: '/api/knowledge' },
      { who: 'agent', method: 'GET', route: '/api/knowledge/search', url: '/api/knowledge/search?q=占道' },
      { who: null, method: 'GET', route: '/api/geo/settings' },
      { who: null, method: 'GET', route: '/api/geo/roads' },
      { who: null, method: 'GET', route: '/api/geo/search', url: '/api/geo/search?q=东湖路' },
      {
        who: null,
        method: 'GET',
        route: '/api/geo/reverse',
        url: `/api/geo/reverse?lat=${places.huPan.lat}&lng=${places.huPan.lng}`,
      },
      { who: 'agent', method: 'GET', route: '/api/geo/cases' },
      { who: null, method: 'GET', route: '/api/public/board' },
      { who: null, method: 'GET', route: '/api/public/board/figures' },
      { who: null, method: 'POST', route: '/api/classify', body: { text: '小区门口有人占道经营，堵住了路' } },
      { who: null, method: 'GET', route: '/healthz' },
      { who: null, method: 'GET', route: '/readyz' },
      { who: null, method: 'GET', route: '/metrics' },
      { who: null, method: 'GET', route: '/docs' },
      { who: null, method: 'GET', route: '/docs.js' },
      { who: null, method: 'GET', route: '/open311/v2/discovery.:format', url: '/open311/v2/discovery.json' },
      { who: null, method: 'GET', route: '/open311/v2/services.:format', url: '/open311/v2/services.json' },
      { who: null, method: 'GET', route: '/open311/v2/services/:code', url: '/open311/v2/services/100114.json' },
      { who: null, method: 'GET', route: '/open311/v2/services/:code', url: '/open311/v2/services/nope.json' },
    ];
    for (const c of staffCalls) await check(c);

    // A case from the hotline, then everything that reads or moves it.
    const filed = await check({
      who: 'agent',
      method: 'POST',
      route: '/api/reports',
      body: buildReport({ phone: '13900001111' }),
    });
    expect(filed.status).toBe(201);
    const kase = filed.body.case as { id: string; caseNo: string; version: number };
    const detail = await check({ who: 'agent', method: 'GET', route: '/api/cases/:id', url: `/api/cases/${kase.id}` });
    await check({ who: 'szss', method: 'GET', route: '/api/cases/:id', url: `/api/cases/${kase.id}` });
    await check({ who: 'agent', method: 'GET', route: '/api/cases', url: '/api/cases?pageSize=5' });
    await check({ who: 'agent', method: 'GET', route: '/api/cases.csv' });
    await check({ who: 'agent', method: 'GET', route: '/api/cases/:id/events', url: `/api/cases/${kase.id}/events` });
    await check({
      who: 'agent',
      method: 'GET',
      route: '/api/reports/nearby',
      url: `/api/reports/nearby?lat=${places.huPan.lat}&lng=${places.huPan.lng}&categoryCode=100114`,
    });
    await check({
      who: 'agent',
      method: 'POST',
      route: '/api/cases/:id/transitions',
      url: `/api/cases/${kase.id}/transitions`,
      body: { action: 'close', version: kase.version },
    });
    await check({
      who: 'agent',
      method: 'POST',
      route: '/api/cases/:id/transitions',
      url: `/api/cases/${kase.id}/transitions`,
      body: { action: 'register', version: kase.version + 99 },
    });
    await check({
      who: 'agent',
      method: 'GET',
      route: '/api/cases/:id',
      url: '/api/cases/00000000-0000-0000-0000-000000000000',
    });
    const reporterId = detail.body.reporter?.id as string | undefined;
    expect(reporterId).toBeTruthy();
    await check({ who: 'agent', method: 'GET', route: '/api/citizens/:id', url: `/api/citizens/${reporterId}` });
    await check({
      who: 'agent',
      method: 'GET',
      route: '/api/citizens/:id/timeline',
      url: `/api/citizens/${reporterId}/timeline`,
    });
    await check({
      who: 'supervisor',
      method: 'POST',
      route: '/api/citizens/:id/unmask',
      url: `/api/citizens/${reporterId}/unmask`,
    });
    await check({ who: 'supervisor', method: 'GET', route: '/api/inboxes/:name', url: '/api/inboxes/triage' });
    await check({ who: 'agent', method: 'POST', route: '/api/calls/simulate', body: { caller: '13900002222' } });

    // A photo, as staff and as a citizen.
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#c33' } })
      .jpeg()
      .toBuffer();
    const staffUpload = await t
      .http()
      .post('/api/uploads')
      .set('Authorization', `Bearer ${tokens.agent}`)
      .attach('file', jpeg, { filename: 'a.jpg', contentType: 'image/jpeg' });
    failures.push(...conforms(staffUpload, 'POST', '/api/uploads'));
    answers++;
    const citizenUpload = await t
      .http()
      .post('/api/citizen/uploads')
      .set('Authorization', `Bearer ${tokens.citizen}`)
      .attach('file', jpeg, { filename: 'b.jpg', contentType: 'image/jpeg' });
    failures.push(...conforms(citizenUpload, 'POST', '/api/citizen/uploads'));
    answers++;
    await check({ who: null, method: 'GET', route: '/files/:id', url: staffUpload.body.url });
    await check({ who: null, method: 'GET', route: '/files/:id/thumb', url: staffUpload.body.thumbUrl });
    await check({ who: null, method: 'GET', route: '/files/:id', url: `/files/${staffUpload.body.id}` });

    // The citizen's own API and the public lookup.
    const mine = await check({
      who: 'citizen',
      method: 'POST',
      route: '/api/citizen/reports',
      body: {
        idempotencyKey: key(),
        text: '望江小区北门的路灯坏了好几天了，晚上很黑',
        location: places.wangJiang,
        address: '望江小区北门',
        photos: [citizenUpload.body.id],
      },
    });
    const caseNo = mine.body.caseNo as string;
    await check({ who: 'citizen', method: 'GET', route: '/api/citizen/reports' });
    await check({
      who: 'citizen',
      method: 'GET',
      route: '/api/citizen/reports/:caseNo',
      url: `/api/citizen/reports/${caseNo}`,
    });
    await check({ who: null, method: 'GET', route: '/api/citizen/reports' });
    await check({ who: 'citizen', method: 'POST', route: '/api/citizen/subscriptions', body: { accepted: [] } });
    await check({ who: null, method: 'GET', route: '/api/public/cases/:caseNo', url: `/api/public/cases/${caseNo}` });
    await check({ who: null, method: 'GET', route: '/api/public/cases' });

    // Administration.
    const dept = await check({
      who: 'admin',
      method: 'POST',
      route: '/api/departments',
      body: { code: 'OAPI', name: '接口测试部门', delivery: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook' },
    });
    await check({ who: 'admin', method: 'POST', route: '/api/departments', body: { code: 'OAPI', name: '重复' } });
    await check({
      who: 'admin',
      method: 'PUT',
      route: '/api/departments/:id',
      url: `/api/departments/${dept.body.department.id}`,
      body: { name: '接口测试部门（改）' },
    });
    await check({
      who: 'admin',
      method: 'POST',
      route: '/api/departments/:id/secret',
      url: `/api/departments/${dept.body.department.id}/secret`,
    });
    const user = await check({
      who: 'admin',
      method: 'POST',
      route: '/api/staff',
      body: { username: 'openapi.user', displayName: '接口测试', role: 'agent' },
    });
    await check({
      who: 'admin',
      method: 'PUT',
      route: '/api/staff/:id',
      url: `/api/staff/${user.body.user.id}`,
      body: { extension: '8123' },
    });
    await check({
      who: 'admin',
      method: 'POST',
      route: '/api/staff/:id/unlock',
      url: `/api/staff/${user.body.user.id}/unlock`,
    });
    await check({
      who: 'admin',
      method: 'POST',
      route: '/api/staff/:id/password',
      url: `/api/staff/${user.body.user.id}/password`,
    });
    const answer = await check({
      who: 'admin',
      method: 'POST',
      route: '/api/knowledge',
      body: { question: '占道经营归谁管？', answer: '由城管部门处理。', keywords: ['占道'] },
    });
    await check({
      who: 'admin',
      method: 'PUT',
      route: '/api/knowledge/:id',
      url: `/api/knowledge/${answer.body.item.id}`,
      body: { active: false },
    });
    await check({
      who: 'admin',
      method: 'DELETE',
      route: '/api/knowledge/:id',
      url: `/api/knowledge/${answer.body.item.id}`,
    });
    const rule = await check({
      who: 'admin',
      method: 'POST',
      route: '/api/routing-rules',
      body: { categoryCode: '100114', areaId: null, departmentId: dept.body.department.id, deadlineHours: 24 },
    });
    if (rule.status === 201) {
      await check({
        who: 'admin',
        method: 'DELETE',
        route: '/api/routing-rules/:id',
        url: `/api/routing-rules/${rule.body.rule.id}`,
      });
    }

    // Open311 as the public and as a partner.
    const posted = await check({
      who: null,
      method: 'POST',
      route: '/open311/v2/requests.:format',
      url: '/open311/v2/requests.json',
      form: { api_key: 'partner-key', service_code: '100114', lat: '30.205', long: '120.115', description: '井盖缺失' },
    });
    await check({
      who: null,
      method: 'POST',
      route: '/open311/v2/requests.:format',
      url: '/open311/v2/requests.json',
      form: { service_code: '100114' },
    });
    await check({ who: null, method: 'GET', route: '/open311/v2/requests.:format', url: '/open311/v2/requests.json' });
    await check({
      who: null,
      method: 'GET',
      route: '/open311/v2/requests.:format',
      url: '/open311/v2/requests.json?api_key=partner-key',
    });
    await check({
      who: null,
      method: 'GET',
      route: '/open311/v2/requests/:id',
      url: `/open311/v2/requests/${posted.body[0].service_request_id}.json`,
    });
    await check({
      who: null,
      method: 'GET',
      route: '/open311/v2/servicerequestupdates.:format',
      url: '/open311/v2/servicerequestupdates.json',
    });

    expect(failures).toEqual([]);
    // 85 answers of 73 operations (with their error answers) when this was written.
    expect({ answers: answers >= 80, operations: checked.size >= 70 }).toEqual({ answers: true, operations: true });
  }, 120_000);

  it('is strict: a field a presenter does not make, or a wrong type, fails', async () => {
    const me = await call({ who: 'admin', method: 'GET', route: '/api/auth/me' });
    expect(conforms(me, 'GET', '/api/auth/me')).toEqual([]);
    const extra = { ...me, body: { user: { ...me.body.user, passwordHash: 'x' } } } as Response;
    expect(conforms(extra, 'GET', '/api/auth/me')[0]).toMatch(/additional properties/);
    const wrong = { ...me, body: { user: { ...me.body.user, role: 'root' } } } as Response;
    expect(conforms(wrong, 'GET', '/api/auth/me')[0]).toMatch(/allowed values/);
    const teapot = { ...me, status: 418 } as Response;
    expect(conforms(teapot, 'GET', '/api/auth/me')[0]).toMatch(/not declared/);
  });
});

describe('the document from a bare app', () => {
  it('is the same document /openapi.json serves', () => {
    expect(buildOpenApi(t.app)).toEqual(doc);
  });
});
