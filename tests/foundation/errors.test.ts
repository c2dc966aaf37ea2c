import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Router from '@koa/router';
import { z } from 'zod';
import { createApp } from '../../server/app.js';
import { validate } from '../../server/middleware/validate.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import request from 'supertest';

let t: TestContext;
let probe: () => ReturnType<typeof request>;

beforeAll(async () => {
  t = await createTestContext({ jobs: false, env: { BODY_LIMIT: '2kb' } });
  const schema = z.object({ location: z.object({ lat: z.number(), lng: z.number() }), text: z.string().min(1) });
  const app = createApp(t.services, [
    () => {
      const r = new Router();
      r.post('/probe', validate({ body: schema }), (ctx) => {
        ctx.body = { ok: true };
      });
      r.get('/boom', () => {
        throw new Error('secret internal detail at /srv/app.ts:42');
      });
      return r;
    },
  ]);
  probe = () => request(app.callback());
});
afterAll(() => t.close());

describe('error and validation shapes', () => {
  it('names the first missing field', async () => {
    const res = await probe().post('/probe').send({ location: {}, text: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: 'location.lat: required' } });
  });

  it('names a wrong type', async () => {
    const res = await probe()
      .post('/probe')
      .send({ location: { lat: 'north', lng: 1 }, text: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/^location\.lat: /);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await probe().post('/probe').set('content-type', 'application/json').send('{"location": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_body');
  });

  it('rejects a body over the configured limit with 413', async () => {
    const res = await probe()
      .post('/probe')
      .send({ text: 'x'.repeat(5000), location: { lat: 1, lng: 1 } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('hides unknown errors behind a generic 500 and logs the stack', async () => {
    const res = await probe().get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toMatch(/secret internal detail|app\.ts/);
    expect(t.logLines.some((l) => l.includes('secret internal detail') && l.includes('"frames"'))).toBe(true);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await probe().get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers a wrong method with 405 JSON', async () => {
    const res = await probe().put('/api/auth/login').send({});
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('method_not_allowed');
  });
});
