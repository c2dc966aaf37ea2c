import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AsteriskPbx } from '../../telephony/asterisk/adapter.js';
import { type AmiPacket, AmiSession } from '../../telephony/asterisk/connection.js';
import { promptFiles } from '../../telephony/flows/prompts.js';
import { runSurveyCall } from '../../telephony/flows/survey.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { silentLogger } from '../../telephony/pbx/logger.js';
import { RealAsterisk } from './real/asterisk.js';
import { CuttableLink, builtPbx, promptsDir } from './real/built.js';
import { nextEvent, until } from './helpers.js';
import { Heard, PROMPT_ALLOWANCE_MS, hotlineService } from './real/service.js';

const prefix = builtPbx('asterisk');
/** The PBX's setting for how long a caller waits for the service (not the default 10, so the test sees it read). */
const SERVICE_WAIT = '12';

describe.runIf(prefix)('the hotline on a real Asterisk 22 (Local channels)', () => {
  let ast: RealAsterisk;
  let driver: AmiSession;
  const heard = new Heard<AmiPacket>();
  const seen = heard.seen.bind(heard);
  const names = new Map<string, string>();
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    ast = new RealAsterisk(prefix!, { CG_SERVICE_WAIT: SERVICE_WAIT });
    await ast.start();
    driver = await AmiSession.open({
      host: '127.0.0.1',
      port: ast.amiPort,
      username: 'cg-intake',
      secret: 'change-me',
      signal: new AbortController().signal,
      logger: silentLogger(),
      onEvent: (event) => {
        if (event.Uniqueid && event.Channel) names.set(event.Uniqueid, event.Channel);
        heard.hear(event);
      },
      onClose: () => {},
    });
  }, 60_000);

  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await driver.action({ Action: 'Command', Command: 'channel request hangup all' }, 5_000).catch(() => {});
  });

  afterAll(async () => {
    await driver?.close(2_000);
    await ast?.dispose();
  });

  function service(port = ast.amiPort, store = new InMemoryCallRecordStore(), soundsPrefix = promptsDir()) {
    const pbx = new AsteriskPbx({
      host: '127.0.0.1',
      port,
      username: 'cg-intake',
      password: 'change-me',
      store,
      soundsPrefix,
      channelTemplate: 'Local/{number}@test-citizen/n',
      requiredPrompts: promptFiles(),
      timeouts: { commandMs: 5_000, ringMs: 8_000, keepaliveMs: 0, promptAllowanceMs: PROMPT_ALLOWANCE_MS },
      reconnect: { initialDelayMs: 50, maxDelayMs: 500, factor: 2, jitter: 0 },
    });
    const { pops, outcomes, stop } = hotlineService(pbx);
    stops.push(stop);
    return { pbx, store, pops, outcomes, stop };
  }

  /**
   * A citizen calls 12319: Originate Local/12319@cg-hotline/n. Its ;2 half runs our dialplan
   * and is the call the service sees; the ;1 half, the caller's phone, runs Wait and is
   * where the test presses keys (PlayDTMF travels to ;2).
   */
  async function callHotline(from = '13800138000', ids = callIds()) {
    const { phone, call } = ids;
    // the first prompt, waited for before the call exists (see callIds)
    const asked = reading(call, 60_000);
    asked.catch(() => {});
    await driver.action(
      {
        Action: 'Originate',
        Channel: 'Local/12319@cg-hotline/n',
        Application: 'Wait',
        Data: '600',
        CallerID: `"${from}" <${from}>`,
        ChannelId: phone,
        OtherChannelId: call,
        Async: 'true',
      },
      5_000,
    );
    return { phone, call, asked };
  }

  /**
   * The ids of a call before it is placed, so a test can wait for its events first: the
   * service and the test hear Asterisk on two connections, and under load the service may
   * answer and redirect the call before the Originate's own reply reaches the test.
   */
  function callIds() {
    const phone = `phone-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    return { phone, call: `call-${phone}` };
  }

  /** The service's Read() starting on the call. */
  function reading(call: string, ms = 30_000) {
    return seen((e) => e.Event === 'Newexten' && e.Uniqueid === call && e.Application === 'Read', ms, 'Read');
  }

  /**
   * Waits until the service's Read() runs on the call (`asked`: a wait started earlier), then
   * presses the keys on the caller's phone.
   */
  async function pressWhenAsked(call: string, phone: string, digits: string, asked = reading(call)): Promise<void> {
    await asked;
    for (const digit of digits) {
      await driver.action({ Action: 'PlayDTMF', Channel: names.get(phone)!, Digit: digit, Duration: '150' }, 5_000);
    }
  }

  test('connects with the shipped manager user, on loopback only, and finds every prompt recording', async () => {
    const { pbx } = service();
    await pbx.start();
    await until(() => pbx.problems().length === 0, 10_000, 'prompt check');
    const settings = await ast.cli('manager show settings');
    expect(settings).toMatch(/TCP Bindaddress:\s+127\.0\.0\.1:/);
    const missing = service(ast.amiPort, new InMemoryCallRecordStore(), '/nonexistent').pbx;
    const reported = nextEvent(missing, 'pbx.error', (e) => /prompts/.test(e.error.message), 20_000);
    await missing.start();
    await reported;
    expect(missing.problems()[0]).toMatch(/main_menu/);
  }, 60_000);

  test('IVR: 2 and a case number read back its status, the caller number set after Newchannel; the call is recorded', async () => {
    const { pbx, store, outcomes } = service();
    await pbx.start();
    const ids = callIds();
    // the service hangs up after the status, which ends the recording: waited for from the start
    const recorded = nextEvent(pbx, 'recording.stopped', (e) => e.callId === ids.call, 120_000);
    const { phone, call, asked } = await callHotline('13800138000', ids);
    await pressWhenAsked(call, phone, '2', asked);
    await pressWhenAsked(call, phone, '2026112100001#');
    await until(() => outcomes.has(call), 60_000, 'IVR outcome');
    expect(outcomes.get(call)).toEqual({ kind: 'case_status', caseNumber: '2026112100001' });
    await recorded;
    await pbx.flush();
    expect(store.get(call)).toMatchObject({
      direction: 'inbound',
      callerNumber: '13800138000',
      calledNumber: '12319',
      dtmf: '22026112100001#',
      recordingPath: `${ast.recordings}/${call}.wav`,
    });
    await until(() => existsSync(`${ast.recordings}/${call}.wav`), 10_000, 'the recording on disk');
  }, 120_000);

  test('queue and screen-pop: 3 sends the caller to the hotline queue, the agent answers, the pop names 8001', async () => {
    const { pbx, store, pops, outcomes } = service();
    await pbx.start();
    const { phone, call, asked } = await callHotline('13800138001');
    await pressWhenAsked(call, phone, '3', asked);
    await until(() => pops.length > 0, 60_000, 'screen-pop');
    expect(outcomes.get(call)).toEqual({ kind: 'queued', reason: 'agent' });
    expect(pops[0]).toMatchObject({ callId: call, callerNumber: '13800138001', agent: { extension: '8001' } });
    await pbx.flush();
    expect(store.get(call)?.bridgedAt).toBeInstanceOf(Date);
  }, 120_000);

  describe('survey calls through the dial string setting (Local/{number}@test-citizen/n)', () => {
    async function survey(to: string, key?: string) {
      const { pbx, store } = service();
      await pbx.start();
      if (key) {
        void seen((e) => e.Event === 'Newexten' && e.Application === 'Read' && e.Exten === 's', 30_000, 'Read')
          .then(async (read) => {
            // the citizen's phone is the ;2 half of the Local channel the service originated
            const citizen = (names.get(read.Uniqueid) ?? '').replace(/;1$/, ';2');
            await driver.action({ Action: 'PlayDTMF', Channel: citizen, Digit: key, Duration: '150' }, 5_000);
          })
          .catch(() => {});
      }
      const result = await runSurveyCall(
        pbx,
        { to, callerId: '12319', caseId: '00000000-0000-4000-8000-000000000001', caseNo: '2026112100001' },
        { ringTimeoutMs: 5_000, answerTimeoutMs: 3_000 },
      );
      await pbx.flush();
      return { result, record: store.get(result.callId) };
    }

    test('satisfied (1)', async () => {
      const { result } = await survey('13900000001', '1');
      expect(result).toMatchObject({ outcome: 'answered', digit: '1', level: 'satisfied' });
    }, 90_000);

    test('unsatisfied (3)', async () => {
      const { result } = await survey('13900000002', '3');
      expect(result).toMatchObject({ outcome: 'answered', digit: '3', level: 'dissatisfied' });
    }, 90_000);

    test('busy: the cause is the busy reason, not the hangup cause 0', async () => {
      const { result, record } = await survey('13900000486');
      expect(result.outcome).toBe('busy');
      expect(record?.hangupCause).toBe('USER_BUSY');
    }, 60_000);

    test('rejected', async () => {
      const { result } = await survey('13900000603');
      expect(result.outcome).toBe('rejected');
    }, 60_000);

    test('no answer', async () => {
      const { result } = await survey('13900000408');
      expect(result.outcome).toBe('no_answer');
    }, 60_000);

    test('silence: no valid choice after the retry', async () => {
      const { result } = await survey('13900000003');
      expect(result.outcome).toBe('no_valid_choice');
    }, 120_000);
  });

  test('a caller arriving while the service is away waits CG_SERVICE_WAIT seconds, then reaches an agent', async () => {
    const waiting = seen(
      (e) => e.Event === 'Newexten' && e.Application === 'Wait' && e.CallerIDNum === '13800138004',
      20_000,
      'the wait for the service',
    );
    const { call } = await callHotline('13800138004');
    expect(await waiting).toMatchObject({ Uniqueid: call, Context: 'cg-service-wait', AppData: SERVICE_WAIT });
    const agent = await seen((e) => e.Event === 'AgentConnect' && e.Uniqueid === call, 60_000, 'an agent');
    expect(agent.Queue).toBe('hotline');
  }, 90_000);

  test('the manager link cut mid-prompt and restored: the caller is asked again, not sent to the queue', async () => {
    const link = new CuttableLink(ast.amiPort);
    await link.listen();
    stops.push(() => link.close());
    const { pbx, outcomes } = service(link.port);
    await pbx.start();
    const { phone, call, asked } = await callHotline('13800138002');
    await asked;
    const back = nextEvent(pbx, 'pbx.state', (e) => e.state === 'connected', 20_000);
    link.cut();
    await back;
    await pressWhenAsked(call, phone, '3');
    await until(() => outcomes.has(call), 60_000, 'IVR outcome');
    expect(outcomes.get(call)).toEqual({ kind: 'queued', reason: 'agent' });
  }, 120_000);

  test('the service restarting mid-call: the new one keeps the record (called number, first answer) and pops the agent', async () => {
    const store = new InMemoryCallRecordStore();
    const first = service(ast.amiPort, store);
    await first.pbx.start();
    const ids = callIds();
    const { call } = ids;
    // waited for before the call exists: the service may answer it before the Originate's reply arrives
    const answered = nextEvent(first.pbx, 'call.answered', (e) => e.callId === call, 60_000);
    const { asked } = await callHotline('13800138003', ids);
    await answered;
    await asked;
    await first.pbx.flush();
    const answeredAt = store.get(call)?.answeredAt;
    expect(answeredAt).toBeInstanceOf(Date);
    await first.stop();
    const second = service(ast.amiPort, store);
    await second.pbx.start();
    expect(second.pbx.getCall(call)).toMatchObject({ calledNumber: '12319' });
    // the dialplan's own fall-back takes the caller to the queue once the service stops driving it
    await until(() => second.pops.length > 0, 60_000, 'screen-pop after the restart');
    expect(second.pops[0]).toMatchObject({ callId: call, agent: { extension: '8001' } });
    await second.pbx.flush();
    expect(store.get(call)).toMatchObject({ calledNumber: '12319', answeredAt, callerNumber: '13800138003' });
  }, 150_000);
});
