import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('health, readiness and metrics', () => {
  it('answers /healthz', async () => {
    const res = await t.http().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz when database and queue answer', async () => {
    const res = await t.http().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ database: 'ok', queue: 'ok' });
  });

  it('exposes request histograms by route and status, queue depth and process metrics', async () => {
    await t.http().get('/healthz');
    await t.http().get('/api/auth/me');
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.text).toMatch(/route="\/api\/auth\/me",status="401"/);
    expect(res.text).toMatch(/job_queue_depth\{queue="case-opened"\} \d+/);
    expect(res.text).toMatch(/process_resident_memory_bytes/);
  });

  it('echoes a request id', async () => {
    const res = await t.http().get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const fresh = await t.http().get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('readiness when the database is gone', () => {
  it('answers 503 naming the failed check', async () => {
    const own = await createTestContext({ jobs: false });
    await own.services.database.close();
    const res = await own.http().get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toBe('down');
  });
});
