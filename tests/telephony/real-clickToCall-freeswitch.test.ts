import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FreeSwitchPbx } from '../../telephony/freeswitch/adapter.js';
import type { EslConnection, EslHeaders } from '../../telephony/freeswitch/connection.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { RealFreeswitch } from './real/freeswitch.js';
import { builtPbx } from './real/built.js';
import { nextEvent, until } from './helpers.js';

// Click-to-call (拨打 in 回访回拨) on a real FreeSWITCH with the shipped configuration: the
// agent's phone user/8001 (registered through the test gateway, it answers and parks) rings
// first; once it answers, &bridge dials the citizen through the pstn gateway, as survey calls
// go, showing the hotline. Run under `flock /tmp/pbx.lock` (fixed ports elsewhere).

const prefix = builtPbx('freeswitch');
const CITIZEN = '13900000001';

describe.runIf(prefix)('click-to-call on a real FreeSWITCH 1.10', () => {
  let fs: RealFreeswitch;
  let driver: EslConnection;
  const answered: EslHeaders[] = [];
  let pbx: FreeSwitchPbx;

  beforeAll(async () => {
    fs = new RealFreeswitch(prefix!);
    await fs.start();
    driver = await fs.connect(['CHANNEL_ANSWER'], (h) => {
      answered.push(h);
    });
    pbx = new FreeSwitchPbx({
      host: '127.0.0.1',
      port: fs.eslPort,
      password: fs.password,
      store: new InMemoryCallRecordStore(),
      timeouts: { commandMs: 5_000, ringMs: 8_000, keepaliveMs: 0 },
      reconnect: { initialDelayMs: 50, maxDelayMs: 500, factor: 2, jitter: 0 },
    });
    await pbx.start();
  }, 90_000);

  afterAll(async () => {
    await pbx?.stop();
    await driver?.api('hupall NORMAL_CLEARING', 5_000).catch(() => {});
    await driver?.close(1_000);
    await fs?.dispose();
  });

  test("rings the agent's extension, then the citizen from the hotline number, and bridges them", async () => {
    const bridged = nextEvent(pbx, 'call.bridged', () => true, 20_000);
    const result = await pbx.clickToCall({
      agentExtension: '8001',
      destination: CITIZEN,
      callerId: '12319',
      variables: { case_no: '2026120400001' },
    });
    expect(result.status).toBe('answered');
    await bridged;
    // The citizen's phone (the pstn gateway's far side, context cg_test) answered a call from the hotline.
    await until(
      () =>
        answered.some(
          (h) =>
            h['Caller-Destination-Number'] === CITIZEN &&
            h['Call-Direction'] === 'inbound' &&
            h['Caller-Caller-ID-Number'] === '12319',
        ),
      20_000,
      'the citizen answering a call from 12319',
    );
    const record = pbx.getCall(result.callId)!;
    expect(record).toMatchObject({ direction: 'outbound', callerNumber: '12319', calledNumber: CITIZEN });
    expect(record.variables).toMatchObject({ cg_purpose: 'callback', case_no: '2026120400001' });
    const hungup = nextEvent(pbx, 'call.hungup', (e) => e.callId === result.callId, 10_000);
    await pbx.hangup(result.callId);
    await hungup;
  }, 60_000);

  test('an agent extension nobody registered fails without dialling the citizen', async () => {
    // Another citizen's number, so nothing left over from the call before can answer for it.
    const result = await pbx.clickToCall({ agentExtension: '8009', destination: '13900000002', callerId: '12319' });
    expect(result).toMatchObject({ status: 'failed' });
    expect(answered.some((h) => h['Caller-Destination-Number'] === '13900000002')).toBe(false);
  }, 60_000);
});
