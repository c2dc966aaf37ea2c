import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { openStream } from '../helpers/sse.js';
import { until } from '../helpers/wait.js';
import { calls } from '../../server/db/schema.js';

/**
 * The agent's current pop, kept in the database: a stream opened later (a reconnect,
 * on any instance) starts with the call in progress, unless the browser already had it.
 */
let t: TestContext;
let server: http.Server;
let base: string;
let agent: string;
const streams: Array<ReturnType<typeof openStream>> = [];

beforeAll(async () => {
  t = await createTestContext({ jobs: false });
  server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = await t.login('agent');
});
afterAll(async () => {
  for (const s of streams) s.close();
  server?.close();
  await t?.close();
});

async function stream(headers: Record<string, string> = {}) {
  const s = openStream(`${base}/api/screen-pop/stream`, agent, headers);
  streams.push(s);
  await s.ready;
  return s;
}

async function simulate(caller: string): Promise<string> {
  const res = await t.http().post('/api/calls/simulate').set('Authorization', `Bearer ${agent}`).send({ caller });
  expect(res.status).toBe(201);
  return res.body.callId;
}

describe("the agent's current screen-pop", () => {
  it('reaches an open stream, and a stream opened later starts with it', async () => {
    const first = await stream();
    const callId = await simulate('13812349001');
    await until(() => first.events.length > 0, 10_000, 'pop on the open stream');
    expect(first.events[0]).toMatchObject({ event: 'screen-pop', id: callId, data: { callerMasked: '138****9001' } });

    const later = await stream();
    await until(() => later.events.length > 0, 10_000, 'current pop on connect');
    expect(later.events[0].data.callId).toBe(callId);
  });

  it('is not sent again to a browser that says it has it (Last-Event-ID), nor once the call has ended', async () => {
    const current = await simulate('13812349002');
    const had = await stream({ 'Last-Event-ID': current });
    await t.services.database.db.update(calls).set({ endedAt: new Date() }).where(eq(calls.id, current));
    const afterEnd = await stream();

    // The next pop is the first either stream sees.
    const next = await simulate('13812349003');
    await until(() => had.events.length > 0 && afterEnd.events.length > 0, 10_000, 'the next pop');
    expect(had.events.map((e) => e.id)).toEqual([next]);
    expect(afterEnd.events.map((e) => e.id)).toEqual([next]);
  });
});
