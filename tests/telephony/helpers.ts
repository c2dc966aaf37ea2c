import { AsteriskPbx, type AsteriskOptions } from '../../telephony/asterisk/adapter.js';
import type { AmiPacket } from '../../telephony/asterisk/connection.js';
import { FreeSwitchPbx, type FreeSwitchOptions } from '../../telephony/freeswitch/adapter.js';
import type { EslFrame } from '../../telephony/freeswitch/connection.js';
import type { PbxTimeouts } from '../../telephony/pbx/base.js';
import type { PbxEventName, PbxEvents } from '../../telephony/pbx/events.js';
import type { Pbx } from '../../telephony/pbx/pbx.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { TestAmiServer, type TestAmiServerOptions } from '../../telephony/testing/ami-server.js';
import { TestEslServer, type TestEslServerOptions } from '../../telephony/testing/esl-server.js';

/** Short timeouts so the suite stays fast; none of them is asserted on. */
export const fastTimeouts: Partial<PbxTimeouts> = {
  connectMs: 2_000,
  commandMs: 2_000,
  ringMs: 2_000,
  promptAllowanceMs: 1_000,
  playMs: 2_000,
  resyncMs: 3_000,
  keepaliveMs: 0,
  stableAfterMs: 500,
};

export const fastReconnect = { initialDelayMs: 20, maxDelayMs: 300, factor: 2, jitter: 0 };

export interface Harness<S> {
  server: S;
  pbx: Pbx;
  store: InMemoryCallRecordStore;
  close(): Promise<void>;
}

export async function freeswitchHarness(
  serverOptions: TestEslServerOptions = {},
  pbxOptions: Partial<FreeSwitchOptions> & { frames?: EslFrame[] } = {},
): Promise<Harness<TestEslServer>> {
  const server = new TestEslServer(serverOptions);
  const port = await server.listen();
  const store = new InMemoryCallRecordStore();
  const { frames, ...rest } = pbxOptions;
  const pbx = new FreeSwitchPbx({
    host: '127.0.0.1',
    port,
    password: serverOptions.password ?? 'ClueCon',
    store,
    timeouts: fastTimeouts,
    reconnect: fastReconnect,
    ...(frames ? { onFrame: (frame: EslFrame) => frames.push(frame) } : {}),
    ...rest,
  });
  return {
    server,
    pbx,
    store,
    async close() {
      await pbx.stop();
      await server.close();
    },
  };
}

export async function asteriskHarness(
  serverOptions: TestAmiServerOptions = {},
  pbxOptions: Partial<AsteriskOptions> & { packets?: AmiPacket[] } = {},
): Promise<Harness<TestAmiServer>> {
  const server = new TestAmiServer(serverOptions);
  const port = await server.listen();
  const store = new InMemoryCallRecordStore();
  const { packets, ...rest } = pbxOptions;
  const pbx = new AsteriskPbx({
    host: '127.0.0.1',
    port,
    username: serverOptions.username ?? 'admin',
    password: serverOptions.secret ?? 'amp111',
    store,
    timeouts: fastTimeouts,
    reconnect: fastReconnect,
    ...(packets ? { onPacket: (packet: AmiPacket) => packets.push(packet) } : {}),
    ...rest,
  });
  return {
    server,
    pbx,
    store,
    async close() {
      await pbx.stop();
      await server.close();
    },
  };
}

/** Resolves with the first matching event; rejects after a bounded wait so no test can hang. */
export function nextEvent<E extends PbxEventName>(
  pbx: Pbx,
  event: E,
  match: (payload: PbxEvents[E]) => boolean = () => true,
  timeoutMs = 3_000,
): Promise<PbxEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = pbx.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Polls until the condition holds, within a bounded wait. */
export async function until(condition: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
