import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { eq } from 'drizzle-orm';
import { places, transition } from '../helpers/factories.js';
import { cases } from '../../server/db/schema.js';
import { conforms, texts, xmlConforms, xmlShapes } from './spec.js';

let t: TestContext;
const API_KEY = 'open311-test-key';
beforeAll(async () => {
  t = await createTestContext({
    env: { OPEN311_API_KEYS: `other,${API_KEY}`, PUBLIC_BASE_URL: 'https://12319.example.gov.cn' },
  });
});
afterAll(() => t.close());

const post = (form: Record<string, string>) => t.http().post('/open311/v2/requests.json').type('form').send(form);

describe('Open311 GeoReport v2', () => {
  it("serves discovery in the spec shape in both formats, with PUBLIC_BASE_URL and not the caller's headers", async () => {
    const res = await t
      .http()
      .get('/open311/v2/discovery.json')
      .set('Origin', 'https://evil.example')
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example');
    expect(res.status).toBe(200);
    expect(conforms('discovery.json', res.body)).toBe(true);
    expect(res.body.endpoints.map((e: any) => e.url)).toEqual([
      'https://12319.example.gov.cn/open311/v2',
      'https://12319.example.gov.cn/open311/v2',
    ]);
    expect(res.body.endpoints[0].specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(res.body.endpoints[1].specification).toMatch(/fixmystreet.*Open311/);
    const xml = await t.http().get('/open311/v2/discovery.xml').set('Origin', 'https://evil.example');
    expect(xml.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
    const root = xmlConforms(xml.text, xmlShapes.discovery);
    expect(texts(root, 'endpoints', 'endpoint', 'url')).toEqual(res.body.endpoints.map((e: any) => e.url));
    expect(texts(root, 'endpoints', 'endpoint', 'formats', 'format')).toContain('text/xml');
    expect(xml.text).not.toContain('evil');
  });

  it('lists services conforming to services.json, with the 大类 as group', async () => {
    const res = await t.http().get('/open311/v2/services.json');
    expect(conforms('services.json', res.body)).toBe(true);
    const cover = res.body.find((s: any) => s.service_code === '100114');
    expect(cover).toMatchObject({ service_name: '不明井盖', group: '公共设施', metadata: false, type: 'realtime' });
    const xml = await t.http().get('/open311/v2/services.xml');
    const root = xmlConforms(xml.text, xmlShapes.services);
    expect(texts(root, 'service', 'service_code')).toEqual(res.body.map((s: any) => s.service_code));
    expect(texts(root, 'service', 'metadata')[0]).toBe('false');
  });

  it('serves a service definition conforming to service-definition.json, and 404 for an unknown code', async () => {
    const res = await t.http().get('/open311/v2/services/200504.json');
    expect(conforms('service-definition.json', res.body)).toBe(true);
    const missing = await t.http().get('/open311/v2/services/000000.json');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([{ code: 404, description: expect.stringContaining('000000') }]);
    const xml = await t.http().get('/open311/v2/services/200504.xml');
    expect(texts(xmlConforms(xml.text, xmlShapes.serviceDefinition), 'service_code')).toEqual(['200504']);
    const missingXml = await t.http().get('/open311/v2/services/000000.xml');
    expect(missingXml.status).toBe(404);
    expect(texts(xmlConforms(missingXml.text, xmlShapes.errors), 'error', 'code')).toEqual(['404']);
  });

  it('accepts a form-encoded request with an api_key and finds it again by id, by filter and as XML', async () => {
    const res = await post({
      api_key: API_KEY,
      service_code: '200504',
      lat: String(places.wenChang.lat),
      long: String(places.wenChang.lng),
      description: '文昌路上那家水果店把摊子摆到人行道上了',
      phone: '13700001234',
      first_name: '先生',
      last_name: '王',
    });
    expect(res.status).toBe(201);
    expect(conforms('post-response.json', res.body)).toBe(true);
    const id = res.body[0].service_request_id;
    expect(id).toMatch(/^\d{13}$/);

    const one = await t.http().get(`/open311/v2/requests/${id}.json`);
    expect(conforms('requests.json', one.body)).toBe(true);
    expect(one.body[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: '200504',
      lat: places.wenChang.lat,
      long: places.wenChang.lng,
    });
    expect(JSON.stringify(one.body)).not.toContain('13700001234');

    const list = await t.http().get('/open311/v2/requests.json?service_code=200504&status=open');
    expect(conforms('requests.json', list.body)).toBe(true);
    expect(list.body.map((r: any) => r.service_request_id)).toContain(id);
    const closed = await t.http().get('/open311/v2/requests.json?status=closed');
    expect(closed.body.map((r: any) => r.service_request_id)).not.toContain(id);

    const xml = await t.http().get(`/open311/v2/requests/${id}.xml`);
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    const root = xmlConforms(xml.text, xmlShapes.requests);
    expect(texts(root, 'request', 'service_request_id')).toEqual([id]);
    expect(texts(root, 'request', 'lat')).toEqual([String(places.wenChang.lat)]);
    const listXml = await t.http().get('/open311/v2/requests.xml?service_code=200504');
    expect(texts(xmlConforms(listXml.text, xmlShapes.requests), 'request', 'service_request_id')).toContain(id);

    const posted = await t
      .http()
      .post('/open311/v2/requests.xml')
      .type('form')
      .send({ api_key: API_KEY, service_code: '200504', address_string: '文昌路12号', description: '占道' });
    expect(posted.status).toBe(201);
    expect(texts(xmlConforms(posted.text, xmlShapes.posted), 'request', 'service_notice')).toEqual(['已受理']);
  });

  it('shows the public what the public case lookup shows; a partner with an api_key reads the request whole', async () => {
    const lat = places.wenChang.lat + 0.00037;
    const long = places.wenChang.lng + 0.00042;
    const res = await post({
      api_key: API_KEY,
      service_code: '200504',
      lat: String(lat),
      long: String(long),
      address_string: '文昌路88号水果店门口',
      description:
        '文昌路88号门口又占道经营了，我电话13912345678，身份证330106199001011234，邮箱wang.xiaoming@example.com，请回电',
      media_url: 'https://example.org/stall.jpg',
    });
    expect(res.status).toBe(201);
    const id = res.body[0].service_request_id;
    const sup = await t.login('supervisor');
    const [c] = await t.services.database.db.select().from(cases).where(eq(cases.caseNo, id));
    const note = '内部：已与中队核实，摊主联系电话13800001111';
    expect((await transition(t, sup, c.id, { action: 'dispatch', note })).status).toBe(200);

    const [pub] = (await t.http().get(`/open311/v2/requests/${id}.json`)).body;
    expect(conforms('requests.json', [pub])).toBe(true);
    expect(pub.description).toContain('139****5678');
    expect(pub.description).toContain('3****************4');
    expect(pub.description).toContain('w***@example.com');
    expect(pub.description).not.toMatch(/13912345678|330106199001011234|wang\.xiaoming/);
    expect(pub.address).not.toContain('88号');
    expect(pub.address).toContain('文昌社区');
    expect(pub.lat).toBe(Math.round(lat * 1000) / 1000);
    expect(pub.long).toBe(Math.round(long * 1000) / 1000);
    expect(pub.media_url).toBeNull();
    expect(pub.status_notes).toBe('派遣');
    const listed = (await t.http().get(`/open311/v2/requests.json?service_request_id=${id}`)).body;
    expect(listed).toEqual([pub]);
    const wrongKey = (await t.http().get(`/open311/v2/requests/${id}.json?api_key=guess`)).body;
    expect(wrongKey).toEqual([pub]);

    const [partner] = (await t.http().get(`/open311/v2/requests/${id}.json?api_key=${API_KEY}`)).body;
    expect(conforms('requests.json', [partner])).toBe(true);
    expect(partner).toMatchObject({
      lat,
      long,
      address: '文昌路88号水果店门口',
      media_url: 'https://example.org/stall.jpg',
    });
    expect(partner.description).toContain('139****5678');
    expect(JSON.stringify(partner)).not.toContain(note);
  });

  it('answers errors in the spec shape', async () => {
    const noKey = await post({ service_code: '200504', lat: '30.2', long: '120.1', description: 'x' });
    expect(noKey.status).toBe(403);
    expect(noKey.body[0].code).toBe(403);
    const badCode = await post({
      api_key: API_KEY,
      service_code: 'nope',
      lat: '30.2',
      long: '120.1',
      description: 'x',
    });
    expect(badCode.status).toBe(400);
    const noPlace = await post({ api_key: API_KEY, service_code: '200504', description: '没有位置' });
    expect(noPlace.status).toBe(400);
    expect(noPlace.body[0].description).toMatch(/位置/);
    // description is optional in GeoReport v2
    const noDesc = await post({ api_key: API_KEY, service_code: '200504', lat: '30.2', long: '120.1' });
    expect(noDesc.status).toBe(201);
    for (const r of [noKey, badCode, noPlace]) expect(conforms('errors.json', r.body)).toBe(true);
    const xmlErr = await t.http().post('/open311/v2/requests.xml').type('form').send({ service_code: 'x' });
    expect(xmlErr.status).toBe(403);
    expect(texts(xmlConforms(xmlErr.text, xmlShapes.errors), 'error', 'code')).toEqual(['403']);
    const missing = await t.http().get('/open311/v2/requests/2000010100001.json');
    expect(missing.status).toBe(404);
    expect(missing.body[0].code).toBe(404);
  });

  it('serves the OpenAPI document generated from the zod schemas, and its docs page', async () => {
    const doc = await t.http().get('/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    const body = doc.body.paths['/api/reports'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['idempotencyKey', 'text']));
    expect(doc.body.paths['/api/cases'].get.parameters.map((p: any) => p.name)).toContain('deadlineStatus');
    const page = await t.http().get('/docs');
    expect(page.text).toContain('/openapi.json');
  });
});
