import { afterEach, describe, expect, test } from 'vitest';
import type { CallRecord } from '../../telephony/pbx/types.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { type Harness, asteriskHarness, freeswitchHarness, nextEvent } from './helpers.js';
import type { SimCall } from '../../telephony/testing/sim-call.js';

/** A store that holds the writes of the calls it is told to, until released (a slow database). */
class GatedStore extends InMemoryCallRecordStore {
  private readonly gates = new Map<string, Promise<void>>();
  private readonly openers = new Map<string, () => void>();
  hold(callId: string): void {
    this.gates.set(callId, new Promise((resolve) => this.openers.set(callId, resolve)));
  }
  release(callId: string): void {
    this.openers.get(callId)?.();
    this.gates.delete(callId);
  }
  override async upsert(record: CallRecord): Promise<void> {
    await this.gates.get(record.id);
    await super.upsert(record);
  }
}

type AnyHarness = Harness<{ simulateInboundCall(call: { from: string; to: string }): SimCall }>;

const pbxes = [
  { name: 'FreeSWITCH', make: (store: GatedStore) => freeswitchHarness({}, { store }) as Promise<AnyHarness> },
  { name: 'Asterisk', make: (store: GatedStore) => asteriskHarness({}, { store }) as Promise<AnyHarness> },
];

let current: AnyHarness | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

describe.each(pbxes)('record writes on $name', ({ make }) => {
  test("flush(callId) waits for that call's stored record, and not for another call's", async () => {
    const store = new GatedStore();
    const h = (current = await make(store));
    await h.pbx.start();

    const slow = h.server.simulateInboundCall({ from: '13900000000', to: '12319' });
    await nextEvent(h.pbx, 'call.started', (e) => e.callId === slow.id);
    store.hold(slow.id);
    slow.bridgeToAgent('1003');
    await nextEvent(h.pbx, 'call.bridged', (e) => e.callId === slow.id);

    // Events reach listeners before their record is stored: a listener that reads the store must wait for it.
    const call = h.server.simulateInboundCall({ from: '13800138000', to: '12319' });
    store.hold(call.id);
    const bridged = nextEvent(h.pbx, 'call.bridged', (e) => e.callId === call.id);
    call.bridgeToAgent('1002');
    await bridged;
    expect(store.get(call.id)?.bridgedAt ?? null).toBeNull();

    let flushed = false;
    const flush = h.pbx.flush(call.id).then(() => (flushed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed).toBe(false);
    store.release(call.id);
    await flush;
    expect(store.get(call.id)?.bridgedAt).toBeInstanceOf(Date);
    // The other call's write is still held, and did not hold this one up.
    expect(store.get(slow.id)?.bridgedAt ?? null).toBeNull();
    store.release(slow.id);
    await h.pbx.flush();
    expect(store.get(slow.id)?.bridgedAt).toBeInstanceOf(Date);
  });
});
