import { afterEach, describe, expect, test } from 'vitest';
import { defaultBackoff } from '../../telephony/pbx/timing.js';
import { HANGUP_CAUSE_VANISHED } from '../../telephony/pbx/hangup-causes.js';
import { PbxTimeoutError } from '../../telephony/pbx/errors.js';
import type { SimCall } from '../../telephony/testing/sim-call.js';
import { AsteriskPbx } from '../../telephony/asterisk/adapter.js';
import { FreeSwitchPbx } from '../../telephony/freeswitch/adapter.js';
import type { Pbx } from '../../telephony/pbx/pbx.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { TestAmiServer } from '../../telephony/testing/ami-server.js';
import { TestEslServer } from '../../telephony/testing/esl-server.js';
import {
  type Harness,
  asteriskHarness,
  fastReconnect,
  fastTimeouts,
  freeswitchHarness,
  nextEvent,
  until,
} from './helpers.js';

type AnyHarness = Harness<{
  simulateInboundCall(call: { from: string; to: string }): SimCall;
  cutConnections(): void;
  liveCalls: SimCall[];
}>;

let harness: AnyHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const pbxes = [
  { name: 'FreeSWITCH', make: () => freeswitchHarness({}, { reconnect: defaultBackoff }) as Promise<AnyHarness> },
  { name: 'Asterisk', make: () => asteriskHarness({}, { reconnect: defaultBackoff }) as Promise<AnyHarness> },
];

const number = (i: number) => `139${String(i).padStart(8, '0')}`;

describe.each(pbxes)('socket cut with 100 calls in progress on $name', ({ name, make }) => {
  test('reconnects with back-off, resynchronises, and no record is lost or duplicated', async () => {
    harness = await make();
    const h = harness;
    await h.pbx.start();
    const calls: SimCall[] = [];
    for (let i = 0; i < 100; i++) {
      const call = h.server.simulateInboundCall({ from: number(i), to: i % 2 ? '12319' : '96310' });
      if (i % 3 === 0) call.bridgeToAgent(String(1000 + (i % 10)));
      calls.push(call);
    }
    await until(() => h.pbx.activeCalls().length === 100, 5_000, '100 live calls');

    const reconnected = nextEvent(h.pbx, 'pbx.state', (e) => e.state === 'connected', 10_000);
    const resynced = nextEvent(h.pbx, 'pbx.resynced', () => true, 10_000);
    const cutAt = Date.now();
    h.server.cutConnections();
    // while we are away: 30 callers hang up, 20 new ones ring in
    const gone = calls.slice(0, 30);
    for (const call of gone) call.hangup();
    const newcomers: SimCall[] = [];
    for (let i = 100; i < 120; i++) newcomers.push(h.server.simulateInboundCall({ from: number(i), to: '12319' }));

    await reconnected;
    const reconnectMs = Date.now() - cutAt;
    console.log(`${name}: reconnected ${reconnectMs} ms after the cut`);
    const sync = await resynced;
    expect(new Set(sync.ended)).toEqual(new Set(gone.map((c) => c.id)));
    expect(new Set(sync.recovered)).toEqual(new Set(newcomers.map((c) => c.id)));
    expect(sync.active).toBe(90);

    const remaining = [...calls.slice(30), ...newcomers];
    for (const call of remaining) call.hangup();
    await until(() => h.pbx.activeCalls().length === 0, 5_000, 'every call ended');
    await h.pbx.flush();

    const all = [...calls, ...newcomers];
    expect(h.store.size).toBe(120);
    expect(h.store.inserts).toBe(120);
    expect(new Set(h.store.all().map((r) => r.id))).toEqual(new Set(all.map((c) => c.id)));
    for (const call of gone) expect(h.store.get(call.id)?.hangupCause).toBe(HANGUP_CAUSE_VANISHED);
    for (const call of remaining) expect(h.store.get(call.id)?.hangupCause).toBe('NORMAL_CLEARING');
    for (const record of h.store.all()) expect(record.endedAt).toBeInstanceOf(Date);
    expect(h.store.get(calls[33].id)?.agent?.extension).toBe('1003');
  });
});

const takeovers = [
  {
    name: 'FreeSWITCH',
    server: () => new TestEslServer(),
    adapter: (port: number, store: InMemoryCallRecordStore): Pbx =>
      new FreeSwitchPbx({
        host: '127.0.0.1',
        port,
        password: 'ClueCon',
        store,
        timeouts: fastTimeouts,
        reconnect: fastReconnect,
      }),
  },
  {
    name: 'Asterisk',
    server: () => new TestAmiServer(),
    adapter: (port: number, store: InMemoryCallRecordStore): Pbx =>
      new AsteriskPbx({
        host: '127.0.0.1',
        port,
        username: 'admin',
        password: 'amp111',
        store,
        timeouts: fastTimeouts,
        reconnect: fastReconnect,
      }),
  },
];

describe.each(takeovers)('fail-over on $name', ({ server: makeServer, adapter }) => {
  test('a call that ended while no process listened is closed by the next one; a call in progress stays open', async () => {
    const server = makeServer();
    const port = await server.listen();
    const store = new InMemoryCallRecordStore();
    const first = adapter(port, store);
    const second = adapter(port, store);
    try {
      await first.start();
      const ends = server.simulateInboundCall({ from: number(1), to: '12319' });
      const stays = server.simulateInboundCall({ from: number(2), to: '12319' });
      await until(() => first.activeCalls().length === 2, 5_000, 'two live calls');
      await first.flush();
      // The holder of the PBX goes away; nothing of its own closes the records it wrote.
      await first.stop();
      expect(store.get(ends.id)?.endedAt).toBeNull();
      ends.hangup();

      const resynced = nextEvent(second, 'pbx.resynced', () => true, 10_000);
      await second.start();
      expect((await resynced).ended).toEqual([ends.id]);
      await second.flush();
      expect(store.get(ends.id)).toMatchObject({ hangupCause: HANGUP_CAUSE_VANISHED, callerNumber: number(1) });
      expect(store.get(ends.id)?.endedAt).toBeInstanceOf(Date);
      expect(store.get(stays.id)?.endedAt).toBeNull();

      stays.hangup();
      await nextEvent(second, 'call.hungup', (e) => e.callId === stays.id, 5_000);
      await second.flush();
      expect(store.get(stays.id)?.hangupCause).toBe('NORMAL_CLEARING');
      expect(store.size).toBe(2);
    } finally {
      await first.stop();
      await second.stop();
      await server.close();
    }
  });
});

describe('command timeouts', () => {
  test('a FreeSWITCH that stops answering: the command times out, the connection is replaced', async () => {
    const h = await freeswitchHarness();
    harness = h as AnyHarness;
    await h.pbx.start();
    const call = h.server.simulateInboundCall({ from: '13800138000', to: '12319' });
    await until(() => h.pbx.getCall(call.id) !== undefined);
    h.server.silent = true;
    const reconnecting = nextEvent(h.pbx, 'pbx.state', (e) => e.state === 'reconnecting');
    await expect(h.pbx.transfer(call.id, { kind: 'queue', queue: 'hotline' })).rejects.toBeInstanceOf(PbxTimeoutError);
    await reconnecting;
    h.server.silent = false;
    await nextEvent(h.pbx, 'pbx.resynced', () => true, 5_000);
    await h.pbx.transfer(call.id, { kind: 'queue', queue: 'hotline' });
  });

  test('stop() during a reconnect stops for good', async () => {
    const h = await asteriskHarness();
    harness = h as AnyHarness;
    await h.pbx.start();
    await h.server.close();
    await nextEvent(h.pbx, 'pbx.state', (e) => e.state === 'reconnecting');
    await h.pbx.stop();
    expect(h.pbx.state).toBe('stopped');
    await expect(h.pbx.hangup('1.1')).resolves.toBeUndefined();
    await expect(h.pbx.originate({ destination: '13800138000', callerId: '12319' })).rejects.toMatchObject({
      code: 'pbx_not_connected',
    });
  });

  test('a garbled AMI packet does not stop the adapter', async () => {
    const h = await asteriskHarness();
    harness = h as AnyHarness;
    await h.pbx.start();
    await h.server.replay([
      '\u0000\u0001garbage: \r\n: :\r\n\r\n',
      'Event\r\n\r\n',
      'Event: Hangup\r\nUniqueid: \r\n\r\n',
    ]);
    const call = h.server.simulateInboundCall({ from: '13800138000', to: '12319' });
    await until(() => h.pbx.getCall(call.id) !== undefined, 3_000, 'a record');
  });
});
