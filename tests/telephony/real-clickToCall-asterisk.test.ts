import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AsteriskPbx } from '../../telephony/asterisk/adapter.js';
import { type AmiPacket, AmiSession } from '../../telephony/asterisk/connection.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { silentLogger } from '../../telephony/pbx/logger.js';
import { RealAsterisk } from './real/asterisk.js';
import { builtPbx } from './real/built.js';
import { nextEvent } from './helpers.js';
import { Heard } from './real/service.js';

// Click-to-call (拨打 in 回访回拨) on a real Asterisk with the shipped extensions_cg.conf: the
// service originates Local/<extension>@<agent context>; once the agent's side answers, the
// other half runs the shipped cg-callback, which dials the citizen on the survey channel
// template with the hotline's caller id. The agent's phone is the test's Local/8001@test-agents
// (the test Asterisk has no SIP phones; production's cg-callback-agent dials PJSIP/<extension>).
// Run under `flock /tmp/pbx.lock`.

const prefix = builtPbx('asterisk');
const CITIZEN = '13900000001';

describe.runIf(prefix)('click-to-call on a real Asterisk 22', () => {
  let ast: RealAsterisk;
  let driver: AmiSession;
  let pbx: AsteriskPbx;
  const heard = new Heard<AmiPacket>();

  beforeAll(async () => {
    ast = new RealAsterisk(prefix!);
    await ast.start();
    driver = await AmiSession.open({
      host: '127.0.0.1',
      port: ast.amiPort,
      username: 'cg-intake',
      secret: 'change-me',
      signal: new AbortController().signal,
      logger: silentLogger(),
      onEvent: (event) => heard.hear(event),
      onClose: () => {},
    });
    pbx = new AsteriskPbx({
      host: '127.0.0.1',
      port: ast.amiPort,
      username: 'cg-intake',
      password: 'change-me',
      store: new InMemoryCallRecordStore(),
      channelTemplate: 'Local/{number}@test-citizen/n',
      contexts: { callbackAgent: 'test-agents' },
      timeouts: { commandMs: 5_000, ringMs: 8_000, keepaliveMs: 0 },
      reconnect: { initialDelayMs: 50, maxDelayMs: 500, factor: 2, jitter: 0 },
    });
    await pbx.start();
  }, 60_000);

  afterAll(async () => {
    await pbx?.stop();
    await driver?.action({ Action: 'Command', Command: 'channel request hangup all' }, 5_000).catch(() => {});
    await driver?.close(2_000);
    await ast?.dispose();
  });

  test("rings the agent's side first, then cg-callback dials the citizen from the hotline number", async () => {
    // A Local channel has no number at Newchannel (NewCallerid sets it after): the citizen's side
    // is seen answering in test-citizen, with the hotline's number as its caller id.
    const citizenRings = heard.seen(
      (e) =>
        e.Event === 'Newexten' &&
        e.Context === 'test-citizen' &&
        e.Exten === CITIZEN &&
        e.Application === 'Answer' &&
        e.CallerIDNum === '12319',
      20_000,
      "the citizen's phone answering a call from 12319",
    );
    const dialled = heard.seen(
      (e) => e.Event === 'DialBegin' && e.Context === 'cg-callback' && e.DialString === `${CITIZEN}@test-citizen/n`,
      20_000,
      'cg-callback dialling the citizen',
    );
    const bridged = heard.seen(
      (e) => e.Event === 'DialEnd' && e.Context === 'cg-callback' && e.DialStatus === 'ANSWER',
      20_000,
      'the citizen answering',
    );
    const result = await pbx.clickToCall({
      agentExtension: '8001',
      destination: CITIZEN,
      callerId: '12319',
      variables: { case_no: '2026120400001' },
    });
    expect(result.status).toBe('answered');
    await dialled;
    await citizenRings;
    await bridged;
    const record = pbx.getCall(result.callId)!;
    expect(record).toMatchObject({ direction: 'outbound', callerNumber: '12319', calledNumber: CITIZEN });
    const hungup = nextEvent(pbx, 'call.hungup', (e) => e.callId === result.callId, 10_000);
    await pbx.hangup(result.callId);
    await hungup;
  }, 60_000);

  test('a citizen who is busy ends the call: Dial in cg-callback gives up and hangs up the agent', async () => {
    const busy = heard.seen(
      (e) => e.Event === 'DialEnd' && e.Context === 'cg-callback' && e.DialStatus === 'BUSY',
      20_000,
      'Dial giving up on a busy citizen',
    );
    const hungup = nextEvent(pbx, 'call.hungup', () => true, 20_000);
    const result = await pbx.clickToCall({ agentExtension: '8001', destination: '13900000486', callerId: '12319' });
    expect(result.status).toBe('answered');
    await busy;
    expect((await hungup).callId).toBe(result.callId);
  }, 60_000);
});
