import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { once } from 'node:events';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, north, places, transition } from '../helpers/factories.js';
import { deliveries, departments } from '../../server/db/schema.js';
import { sign, verify } from '../../server/forwarding/signature.js';
import { until } from '../helpers/wait.js';

const SECRET = 'dept-shared-secret-0123456789';

/** A department's system: refuses the first `failFirst` deliveries, records every valid one. */
async function startReceiver(failFirst: number) {
  const received: Array<{ key: string; body: any }> = [];
  let calls = 0;
  let badSignatures = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      calls++;
      const check = verify(SECRET, raw, req.headers['x-chengguan-signature'] as string, 300);
      if (!check.ok) {
        badSignatures++;
        res.writeHead(401).end();
        return;
      }
      if (calls <= failFirst) {
        res.writeHead(503).end('busy');
        return;
      }
      const key = String(req.headers['idempotency-key']);
      if (!received.some((r) => r.key === key)) received.push({ key, body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as any;
  return {
    url: `http://127.0.0.1:${port}/cases`,
    received,
    calls: () => calls,
    badSignatures: () => badSignatures,
    close: () => server.close(),
  };
}

let t: TestContext;
let sup: string;
let agent: string;
beforeAll(async () => {
  t = await createTestContext({ workers: true, env: { DELIVERY_RETRY_LIMIT: '2', DELIVERY_RETRY_DELAY_SECONDS: '1' } });
  sup = await t.login('supervisor');
  agent = await t.login('agent');
});
afterAll(() => t.close());

async function useWebhook(url: string) {
  await t.services.database.db
    .update(departments)
    .set({ delivery: 'webhook', webhookUrl: url, webhookSecret: SECRET })
    .where(eq(departments.code, 'SZSS'));
}

describe('forwarding to a department system', () => {
  it('survives a receiver that fails the first times: delivered once, signed, nothing lost', async () => {
    const rx = await startReceiver(2);
    await useWebhook(rx.url);
    const c = await fileReport(t, agent, { location: north(places.huPan, 400) });
    const r = await transition(t, sup, c.id, { action: 'dispatch' });
    expect(r.status).toBe(200);
    await until(async () => {
      const [d] = await t.services.database.db.select().from(deliveries).where(eq(deliveries.caseId, c.id));
      return d?.status === 'delivered';
    });
    expect(rx.calls()).toBe(3);
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0].body.case.caseNo).toBe(c.caseNo);
    expect(rx.received[0].body.event).toBe('dispatch');
    expect(rx.badSignatures()).toBe(0);
    rx.close();
  });

  it('marks a delivery dead after its retries, shows it to supervisors, and a manual retry delivers it', async () => {
    const rx = await startReceiver(1000);
    await useWebhook(rx.url);
    const c = await fileReport(t, agent, { location: north(places.huPan, 800) });
    await transition(t, sup, c.id, { action: 'dispatch' });
    await until(async () => {
      const dead = await t.http().get('/api/deliveries/dead').set('Authorization', `Bearer ${sup}`);
      return dead.body.items.some((d: any) => d.caseNo === c.caseNo);
    }, 30_000);
    const dead = await t.http().get('/api/deliveries/dead').set('Authorization', `Bearer ${sup}`);
    const item = dead.body.items.find((d: any) => d.caseNo === c.caseNo);
    expect(item.attempts).toBe(3);
    expect(item.lastError).toBe('HTTP 503');
    rx.close();

    const ok = await startReceiver(0);
    await useWebhook(ok.url);
    const retry = await t.http().post(`/api/deliveries/${item.id}/retry`).set('Authorization', `Bearer ${sup}`);
    expect(retry.status).toBe(202);
    await until(() => ok.received.length === 1);
    const again = await t.http().post(`/api/deliveries/${item.id}/retry`).set('Authorization', `Bearer ${sup}`);
    expect(again.status).toBe(409);
    ok.close();
  }, 60_000);
});

describe('inbound status webhook', () => {
  async function post(body: object, signature?: string) {
    const raw = JSON.stringify(body);
    return t
      .http()
      .post('/api/webhooks/departments/SZSS')
      .set('content-type', 'application/json')
      .set('x-chengguan-signature', signature ?? sign(SECRET, raw))
      .send(raw);
  }

  it('moves the case on a signed event, and refuses bad signatures, stale timestamps and replays', async () => {
    await useWebhook('http://127.0.0.1:9/unused');
    const c = await fileReport(t, agent, { location: north(places.huPan, 1200) });
    await transition(t, sup, c.id, { action: 'dispatch' });
    const body = { eventId: 'evt-accept-0001', caseNo: c.caseNo, action: 'accept' };
    const forged = await post(body, sign('wrong-secret', JSON.stringify(body)));
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('bad_signature');
    const stale = await post(body, sign(SECRET, JSON.stringify(body), Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(401);
    const ok = await post(body);
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('处置中');
    const replay = await post(body);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('replayed');
    const resolve = await post({ eventId: 'evt-resolve-0001', caseNo: c.caseNo, action: 'resolve', note: '已修复' });
    expect(resolve.body.state).toBe('核查');
  });
});
