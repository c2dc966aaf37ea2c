import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { backend } from '../helpers/db.js';
import { fileReport, north, places } from '../helpers/factories.js';

/**
 * The plain status read (`GET /api/public/cases/<number>`) is answered ahead of most middleware and
 * the routers; the same read with a query string still goes the ordinary way. Both must answer alike.
 */
let t: TestContext;
let agent: string;

beforeAll(async () => {
  t = await createTestContext({ jobs: false });
  agent = await t.login('agent');
});
afterAll(() => t?.close());

const SAME_ON_BOTH = [
  'content-type',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
];

describe(`the plain status read (${backend})`, () => {
  it('answers as the router does: body, status and headers, for a case and for an unknown number', async () => {
    const c = await fileReport(t, agent, { location: north(places.huPan, 2600) });
    for (const caseNo of [c.caseNo, '2000010100001']) {
      const plain = await t.http().get(`/api/public/cases/${caseNo}`);
      // A query string (ignored by the route) sends the same read through every middleware and the router.
      const routed = await t.http().get(`/api/public/cases/${caseNo}?via=router`);
      expect(plain.status).toBe(caseNo === c.caseNo ? 200 : 404);
      expect(routed.status).toBe(plain.status);
      expect(plain.body).toEqual(routed.body);
      for (const h of SAME_ON_BOTH) expect(plain.headers[h], h).toBe(routed.headers[h]);
      expect(plain.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const head = await t.http().head(`/api/public/cases/${c.caseNo}`);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^application\/json/);
  });

  it('keeps the request id it is given, and ignores a session it has no use for', async () => {
    const c = await fileReport(t, agent, { location: north(places.huPan, 2900) });
    const res = await t
      .http()
      .get(`/api/public/cases/${c.caseNo}`)
      .set('X-Request-Id', 'trace-me-1')
      .set('Authorization', 'Bearer not-a-session');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-me-1');
    expect(res.body.caseNo).toBe(c.caseNo);
  });

  it('leaves every other form to the router: a malformed number, a body, another method', async () => {
    const bad = await t.http().get('/api/public/cases/123');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const withBody = await t
      .http()
      .get('/api/public/cases/2000010100001')
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(withBody.status).toBe(415);
    const post = await t.http().post('/api/public/cases/2000010100001').send({});
    expect(post.status).toBe(405);
    expect(post.body.error.code).toBe('method_not_allowed');
  });

  it('is counted in the metrics under its route pattern', async () => {
    const c = await fileReport(t, agent, { location: north(places.huPan, 3200) });
    await t.http().get(`/api/public/cases/${c.caseNo}`);
    const metrics = await t.http().get('/metrics');
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/public\/cases\/:caseNo",status="200"\} [1-9]/,
    );
    expect(metrics.text).not.toContain(c.caseNo);
  });
});
