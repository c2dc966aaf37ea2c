// One regression test per finding of the Open311 review (issue #14, "Open311 with real clients").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestContext, testEnv, type TestContext } from '../helpers/context.js';
import { key, places, transition } from '../helpers/factories.js';
import { jpeg } from '../helpers/images.js';
import { cases } from '../../server/db/schema.js';
import { loadConfig } from '../../server/config.js';
import { conforms, texts, xmlConforms, xmlShapes } from './spec.js';

let t: TestContext;
const API_KEY = 'open311-findings-key';
beforeAll(async () => {
  t = await createTestContext({
    env: { OPEN311_API_KEYS: API_KEY, PUBLIC_BASE_URL: 'https://12319.example.gov.cn/' },
  });
});
afterAll(() => t.close());

const post = (form: Record<string, string>, format = 'json') =>
  t
    .http()
    .post(`/open311/v2/requests.${format}`)
    .type('form')
    .send({ api_key: API_KEY, ...form });
const get = (path: string) => t.http().get(`/open311/v2/${path}`);
const caseOf = async (caseNo: string) =>
  (await t.services.database.db.select().from(cases).where(eq(cases.caseNo, caseNo)))[0];
const idsOf = (body: any[]) => body.map((r) => r.service_request_id);

describe('PUBLIC_BASE_URL', () => {
  it('is required in production and is the only source of absolute URLs', () => {
    expect(() => loadConfig(testEnv({ NODE_ENV: 'production' }))).toThrow(/PUBLIC_BASE_URL: required/);
    expect(() => loadConfig(testEnv({ PUBLIC_BASE_URL: 'ftp://example.org' }))).toThrow(/PUBLIC_BASE_URL/);
    const prod = loadConfig(testEnv({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://a.example/x/' }));
    expect(prod.publicBaseUrl).toBe('https://a.example/x');
    expect(loadConfig(testEnv({ PORT: '4100' })).publicBaseUrl).toBe('http://localhost:4100');
  });

  it('discovery ignores the Origin, Host and X-Forwarded-* headers (trailing slash of the setting dropped)', async () => {
    const res = await get('discovery.json')
      .set('Origin', 'null')
      .set('X-Forwarded-Proto', 'gopher')
      .set('X-Forwarded-Host', 'evil.example');
    expect(res.body.endpoints[0].url).toBe('https://12319.example.gov.cn/open311/v2');
  });

  it("gives partners the photo's URL under PUBLIC_BASE_URL, whatever the request's headers", async () => {
    const agent = await t.login('agent');
    const up = await t
      .http()
      .post('/api/uploads')
      .set('Authorization', `Bearer ${agent}`)
      .attach('file', await jpeg({}), 'a.jpg');
    expect(up.status).toBe(201);
    const report = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send({ idempotencyKey: key(), channel: 'agent', text: '井盖丢了', address: '湖畔路3号', photos: [up.body.id] });
    expect(report.status).toBe(201);
    const [partner] = (
      await get(`requests/${report.body.case.caseNo}.json?api_key=${API_KEY}`)
        .set('Origin', 'https://evil.example')
        .set('Host', 'evil.example')
    ).body;
    // A signed, expiring link (the photo is not public), under PUBLIC_BASE_URL whatever the headers said.
    expect(partner.media_url).toMatch(
      new RegExp(`^https://12319\\.example\\.gov\\.cn/files/${up.body.id}\\?exp=\\d+&sig=`),
    );
  });
});

describe('blank fields are absent', () => {
  it('stores blank lat/long as no point, and two such reports at different addresses stay two cases', async () => {
    const a = await post({ service_code: '200504', lat: '', long: '', address_string: '文昌路1号', email: '' });
    const b = await post({ service_code: '200504', lat: ' ', long: '', address_string: '湖畔路99号', phone: '' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body[0].service_notice).toBe('已受理');
    expect(b.body[0].service_notice).toBe('已受理');
    expect(a.body[0].service_request_id).not.toBe(b.body[0].service_request_id);
    const stored = await caseOf(a.body[0].service_request_id);
    expect([stored.lat, stored.lng]).toEqual([null, null]);
    const [pub] = (await get(`requests/${a.body[0].service_request_id}.json`)).body;
    expect([pub.lat, pub.long]).toEqual([null, null]);
  });

  it('ignores blank query parameters', async () => {
    const res = await get('requests.json?service_code=&status=&start_date=&service_request_id=');
    expect(res.status).toBe(200);
    expect(conforms('requests.json', res.body)).toBe(true);
  });
});

describe('XML 1.0', () => {
  it('drops illegal characters on the way in and never emits one, whatever channel stored it', async () => {
    const res = await post({
      service_code: '200504',
      lat: String(places.huPan.lat),
      long: String(places.huPan.lng),
      description: 'bell\u0001 and \u0008backspace\uFFFE 占道',
      address_string: '湖畔路',
    });
    expect(res.status).toBe(201);
    // NUL alone is refused at the door (it cannot be stored), in GeoReport's error shape.
    const nul = await post({ service_code: '200504', address_string: '湖畔\u0000路' });
    expect(nul.status).toBe(400);
    expect(nul.body[0]).toMatchObject({ code: 400 });
    const id = res.body[0].service_request_id;
    const stored = await caseOf(id);
    expect(stored.description).toBe('bell and backspace 占道');
    // A case that came in by another channel with a control character in its text.
    await t.services.database.db
      .update(cases)
      .set({ description: sql`'旧数据' || chr(1) || chr(27) || '<&>'` })
      .where(eq(cases.caseNo, id));
    for (const path of [`requests/${id}.xml`, `requests.xml?service_request_id=${id}`, 'requests.xml']) {
      const xml = await get(path);
      const root = xmlConforms(xml.text, xmlShapes.requests);
      if (path !== 'requests.xml') expect(texts(root, 'request', 'description')).toEqual(['旧数据<&>']);
    }
    expect((await get(`requests/${id}.json`)).body[0].description).toBe('旧数据<&>');
  });
});

describe('GET requests filters', () => {
  it('takes status as a comma list', async () => {
    const open = await post({ service_code: '200504', address_string: '文昌路3号' });
    const closing = await post({ service_code: '200504', address_string: '文昌路5号' });
    const sup = await t.login('supervisor');
    const c = await caseOf(closing.body[0].service_request_id);
    expect(
      (await transition(t, sup, c.id, { action: 'transfer', note: '转交园林部门', agency: '园林局' })).status,
    ).toBe(200);
    const both = await get('requests.json?status=open,closed');
    expect(both.status).toBe(200);
    expect(idsOf(both.body)).toEqual(
      expect.arrayContaining([open.body[0].service_request_id, closing.body[0].service_request_id]),
    );
    expect(idsOf((await get('requests.json?status=closed')).body)).toContain(closing.body[0].service_request_id);
    expect((await get('requests.json?status=open,pending')).status).toBe(400);
  });

  it('lets service_request_id override every other filter', async () => {
    const res = await post({ service_code: '200504', address_string: '文昌路7号' });
    const id = res.body[0].service_request_id;
    const old = '2001-01-01T00:00:00Z';
    const q = `service_request_id=${id}&status=closed&service_code=100114&start_date=${old}&end_date=${old}`;
    expect(idsOf((await get(`requests.json?${q}`)).body)).toEqual([id]);
  });

  it('bounds the list: 90-day window by default, pages of at most 1000 (200 without an api_key)', async () => {
    const res = await post({ service_code: '200504', address_string: '文昌路9号' });
    const id = res.body[0].service_request_id;
    await t.services.database.db
      .update(cases)
      .set({ createdAt: new Date(Date.now() - 100 * 86_400_000) })
      .where(eq(cases.caseNo, id));
    expect(idsOf((await get('requests.json')).body)).not.toContain(id);
    expect(idsOf((await get(`requests.json?service_request_id=${id}`)).body)).toEqual([id]);
    expect((await get('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z')).status).toBe(400);
    expect((await get('requests.json?page_size=1001')).status).toBe(400);
    const first = (await get('requests.json?page_size=1')).body;
    const second = (await get('requests.json?page_size=1&page=2')).body;
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(first[0].service_request_id).not.toBe(second[0].service_request_id);
  });
});

describe('POST requests fields', () => {
  it('accepts a request without description and with a blank email', async () => {
    const res = await post({ service_code: '200504', address_string: '文昌路11号', description: '', email: '' });
    expect(res.status).toBe(201);
    expect(conforms('post-response.json', res.body)).toBe(true);
  });

  it('accepts only http(s) media_url', async () => {
    for (const media_url of ['javascript:alert(1)', 'ftp://example.org/a.jpg', 'data:image/png;base64,AAAA']) {
      const res = await post({ service_code: '200504', address_string: '文昌路13号', media_url });
      expect(res.status, media_url).toBe(400);
      expect(res.body[0].description).toMatch(/media_url/);
    }
    const ok = await post({ service_code: '200504', address_string: '文昌路13号', media_url: 'https://x.org/a.jpg' });
    expect(ok.status).toBe(201);
  });
});

describe('errors on every Open311 path are in the GeoReport shape, in the requested format', () => {
  it('404, 405, 400 and 413', async () => {
    const unknownXml = await get('nothing.xml');
    expect(unknownXml.status).toBe(404);
    expect(texts(xmlConforms(unknownXml.text, xmlShapes.errors), 'error', 'code')).toEqual(['404']);
    const unknownJson = await get('requests/x/y.json');
    expect(unknownJson.status).toBe(404);
    expect(conforms('errors.json', unknownJson.body)).toBe(true);
    expect((await get('requests.txt')).status).toBe(404);

    const put = await t.http().put('/open311/v2/requests.xml').send('x');
    expect(put.status).toBe(405);
    expect(texts(xmlConforms(put.text, xmlShapes.errors), 'error', 'code')).toEqual(['405']);

    const bad = await get('requests.xml?start_date=yesterday');
    expect(bad.status).toBe(400);
    expect(texts(xmlConforms(bad.text, xmlShapes.errors), 'error', 'description')[0]).toMatch(/start_date/);

    const huge = await t
      .http()
      .post('/open311/v2/requests.xml')
      .type('form')
      .send({ api_key: API_KEY, description: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(texts(xmlConforms(huge.text, xmlShapes.errors), 'error', 'code')).toEqual(['413']);
    const hugeJson = await t
      .http()
      .post('/open311/v2/requests.json')
      .type('form')
      .send({ description: 'x'.repeat(1_100_000) });
    expect(hugeJson.status).toBe(413);
    expect(conforms('errors.json', hugeJson.body)).toBe(true);
  });
});

describe('servicerequestupdates (FixMyStreet)', () => {
  it('lists each state change in the window, oldest first, with FixMyStreet statuses, in both formats', async () => {
    const before = new Date().toISOString();
    const res = await post({ service_code: '200504', lat: '30.215', long: '120.165', description: '占道经营' });
    const id = res.body[0].service_request_id;
    const c = await caseOf(id);
    const sup = await t.login('supervisor');
    for (const body of [
      { action: 'dispatch', note: '内部：请中队处理' },
      { action: 'accept' },
      { action: 'resolve', note: '已清理，摊主电话13912345678' },
    ])
      expect((await transition(t, sup, c.id, body)).status).toBe(200);

    const json = await get(`servicerequestupdates.json?start_date=${before}`);
    expect(json.status).toBe(200);
    expect(conforms('updates.json', json.body)).toBe(true);
    const mine = json.body.filter((u: any) => u.service_request_id === id);
    // 立案 at intake, then the three steps above (a resolved case may move on to 核查 by itself).
    expect(mine.map((u: any) => u.status).slice(0, 4)).toEqual([
      'investigating',
      'action_scheduled',
      'in_progress',
      'in_progress',
    ]);
    expect(mine[1].description).toBe('派遣');
    expect(mine[3].description).toContain('139****5678');
    expect(JSON.stringify(json.body)).not.toMatch(/内部|13912345678/);
    const times = mine.map((u: any) => u.updated_datetime);
    expect([...times].sort()).toEqual(times);

    const xml = await get(`servicerequestupdates.xml?start_date=${before}`);
    const root = xmlConforms(xml.text, xmlShapes.updates);
    expect(texts(root, 'request_update', 'update_id')).toEqual(json.body.map((u: any) => u.update_id));

    const earlier = await get(`servicerequestupdates.json?end_date=${before}`);
    expect(earlier.body.map((u: any) => u.service_request_id)).not.toContain(id);
    expect(
      (await get('servicerequestupdates.json?start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z')).status,
    ).toBe(400);
  });
});
