import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { TestEslServer } from '../../telephony/testing/esl-server.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, places } from '../helpers/factories.js';
import { calls, citizens } from '../../server/db/schema.js';
import { until } from '../helpers/wait.js';
import { openStream } from '../helpers/sse.js';
import { DbCallRecordStore } from '../../server/telephony/callStore.js';

let esl: TestEslServer;
let t: TestContext;
let server: http.Server;
let base: string;
let agent: string;

beforeAll(async () => {
  esl = new TestEslServer({ password: 'ClueCon', agents: ['8001'] });
  const port = await esl.listen();
  t = await createTestContext({
    workers: true,
    env: { PBX: 'freeswitch', PBX_HOST: '127.0.0.1', PBX_PORT: String(port), PBX_PASSWORD: 'ClueCon' },
  });
  await until(() => t.services.pbx?.state === 'connected', 10_000, 'PBX connection');
  server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = await t.login('agent');
});
afterAll(async () => {
  server?.close();
  await t?.close();
  await esl?.close();
});

describe('a hotline call becomes a record, a screen-pop and a case', () => {
  it('records the call, pops it on the agent screen with the masked number, and links the new case', async () => {
    const stream = openStream(`${base}/api/screen-pop/stream`, agent);
    await stream.ready;
    const call = esl.simulateInboundCall({ from: '13812345678', to: '12319', callerName: '张先生' });
    // The caller chooses 3 (talk to an agent) in the IVR menu.
    call.onCollect(() => '3');
    await until(() => stream.events.length > 0, 10_000, 'screen-pop');
    const pop = stream.events[0];
    expect(pop.event).toBe('screen-pop');
    expect(pop.data.callId).toBe(call.id);
    expect(pop.data.callerMasked).toBe('138****5678');
    expect(JSON.stringify(pop.data)).not.toContain('13812345678');

    const [row] = await t.services.database.db.select().from(calls).where(eq(calls.id, call.id));
    expect(row.direction).toBe('inbound');
    expect(row.calledNumber).toBe('12319');
    expect(row.agent).toBe('8001');
    const [citizen] = await t.services.database.db.select().from(citizens).where(eq(citizens.id, row.citizenId!));
    expect(citizen.phoneMasked).toBe('138****5678');

    const kase = await fileReport(t, agent, {
      phone: '13812345678',
      callId: call.id,
      location: places.wangJiang,
      categoryCode: '100118',
      text: '望江路的路灯坏了一排',
    });
    const detail = await t.http().get(`/api/cases/${kase.id}`).set('Authorization', `Bearer ${agent}`);
    expect(detail.body.calls.map((c: any) => c.id)).toEqual([call.id]);

    call.hangup('NORMAL_CLEARING');
    await until(
      async () => {
        const [r] = await t.services.database.db.select().from(calls).where(eq(calls.id, call.id));
        return r.endedAt != null;
      },
      10_000,
      'hang-up recorded',
    );
    const [ended] = await t.services.database.db.select().from(calls).where(eq(calls.id, call.id));
    expect(ended.hangupCause).toBe('NORMAL_CLEARING');

    // The caller calls again: this time the pop shows the case just filed.
    const again = esl.simulateInboundCall({ from: '13812345678', to: '96310' });
    again.onCollect(() => '3');
    await until(() => stream.events.length > 1, 10_000, 'second screen-pop');
    expect(stream.events[1].data.pastCases.map((c: any) => c.caseNo)).toContain(kase.caseNo);
    again.hangup();
    stream.close();
  });

  it('reads a case status back in the IVR from the database', async () => {
    const kase = await fileReport(t, agent, {
      location: places.wenChang,
      categoryCode: '200504',
      text: '学院路有店铺把货摆到了门外',
    });
    const call = esl.simulateInboundCall({ from: '13900002222', to: '12319' });
    const answers = ['2', `${kase.caseNo}#`];
    call.onCollect(() => answers.shift() ?? null);
    // recorded prompts: the fixed part, the number digit by digit, then the state's own recording
    await until(() => call.prompts.some((p) => p.includes('case_status_intro')), 10_000, 'status prompt');
    const said = call.prompts.find((p) => p.includes('case_status_intro'))!;
    const digits = kase.caseNo.split('').map((d: string) => `digits/${d}.wav`);
    expect(said).toContain(digits.join('!${cg_prompts_dir}/'));
    expect(said).toMatch(/status_filed\.wav$/);
    call.hangup();
  });

  it('makes the caller the reporter of a case filed from the call, without the agent typing the number', async () => {
    const call = esl.simulateInboundCall({ from: '13655556666', to: '12319' });
    call.onCollect(() => '3');
    await until(
      async () => {
        const [r] = await t.services.database.db.select().from(calls).where(eq(calls.id, call.id));
        return r?.agent === '8001';
      },
      10_000,
      'bridged call',
    );
    const kase = await fileReport(t, agent, {
      callId: call.id,
      location: places.wenChang,
      categoryCode: '200505',
      text: '学院路上有辆车停在人行道上好几天了',
    });
    const detail = await t.http().get(`/api/cases/${kase.id}`).set('Authorization', `Bearer ${agent}`);
    expect(detail.body.reporter.phoneMasked).toBe('136****6666');
    call.hangup();
  });

  it('lets the console simulate a call without a PBX (demo and browser tests)', async () => {
    const stream = openStream(`${base}/api/screen-pop/stream`, agent);
    await stream.ready;
    const res = await t
      .http()
      .post('/api/calls/simulate')
      .set('Authorization', `Bearer ${agent}`)
      .send({ caller: '13700007777' });
    expect(res.status).toBe(201);
    // A pop of the previous test's call may still reach this new stream: wait for this call's own pop.
    await until(() => stream.events.some((e) => e.data.callId === res.body.callId), 5_000, 'simulated pop');
    const pop = stream.events.find((e) => e.data.callId === res.body.callId)!;
    expect(pop.event).toBe('screen-pop');
    expect(pop.data.callerMasked).toBe('137****7777');
    stream.close();
  });

  it('a record rebuilt after a restart merges into the stored one: first answer, bridge and agent kept', async () => {
    const store = new DbCallRecordStore(t.services);
    const id = `merge-${Date.now()}`;
    const answeredAt = new Date(Date.now() - 60_000);
    const base = {
      id,
      direction: 'inbound' as const,
      callerNumber: '13700008888',
      callerName: null,
      calledNumber: '12319',
      startedAt: new Date(Date.now() - 70_000),
      endedAt: null,
      hangupCause: null,
      recordingPath: null,
      variables: {},
      dtmf: '',
    };
    await store.upsert({
      ...base,
      answeredAt,
      bridgedAt: answeredAt,
      agent: { extension: '8001', id: '8001@default' },
    });
    // what a new process learns from the channel list: answered "now", no bridge or agent seen
    await store.upsert({ ...base, calledNumber: '', answeredAt: new Date(), bridgedAt: null, agent: null });
    const [row] = await t.services.database.db.select().from(calls).where(eq(calls.id, id));
    expect(row).toMatchObject({ calledNumber: '12319', agent: '8001', answeredAt, bridgedAt: answeredAt });
  });

  it('closes the open records of calls that ended while no process listened, and only those', async () => {
    const store = new DbCallRecordStore(t.services);
    const tag = `vanished-${Date.now()}`;
    const listedAt = new Date();
    const record = (id: string, startedAt: Date) => ({
      id: `${tag}-${id}`,
      direction: 'inbound' as const,
      callerNumber: '13700009999',
      callerName: null,
      calledNumber: '12319',
      startedAt,
      answeredAt: startedAt,
      bridgedAt: null,
      endedAt: null,
      hangupCause: null,
      recordingPath: null,
      agent: null,
      variables: {},
      dtmf: '',
    });
    const earlier = new Date(listedAt.getTime() - 60_000);
    await store.upsert(record('gone', earlier));
    await store.upsert(record('on-the-pbx', earlier));
    await store.upsert(record('after-the-list', new Date(listedAt.getTime() + 1_000)));
    const endedAt = new Date();
    const closed = await store.closeVanished({
      keep: new Set([`${tag}-on-the-pbx`]),
      startedBefore: listedAt,
      endedAt,
      cause: 'ENDED_WHILE_DISCONNECTED',
    });
    expect(closed.filter((id) => id.startsWith(tag))).toEqual([`${tag}-gone`]);
    const rows = await t.services.database.db.select().from(calls);
    const byId = new Map(rows.filter((r) => r.id.startsWith(tag)).map((r) => [r.id.slice(tag.length + 1), r]));
    expect(byId.get('gone')).toMatchObject({ endedAt, hangupCause: 'ENDED_WHILE_DISCONNECTED' });
    expect(byId.get('on-the-pbx')?.endedAt).toBeNull();
    expect(byId.get('after-the-list')?.endedAt).toBeNull();
  });

  it('reports telephony in /readyz and /metrics: ready when connected, degraded when the PBX refuses us', async () => {
    const ok = await t.http().get('/readyz');
    expect(ok.body).toMatchObject({ status: 'ready', checks: { pbx: 'ok' } });
    expect((await t.http().get('/metrics')).text).toMatch(/pbx_connected\{state="connected"\} 1/);
    esl.setPassword('changed');
    esl.cutConnections();
    await until(() => (t.services.pbx?.problems().length ?? 0) > 0, 10_000, 'refused login');
    const degraded = await t.http().get('/readyz');
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.checks.pbx).not.toBe('ok');
    expect((await t.http().get('/metrics')).text).toMatch(/pbx_connected\{state="\w+"\} 0/);
    esl.setPassword('ClueCon');
    await until(() => t.services.pbx?.state === 'connected', 40_000, 'reconnected');
  }, 60_000);
});
