import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FreeSwitchPbx } from '../../telephony/freeswitch/adapter.js';
import type { EslConnection, EslHeaders } from '../../telephony/freeswitch/connection.js';
import { promptFiles } from '../../telephony/flows/prompts.js';
import { SURVEY_ANSWER_TIMEOUT_MS, runSurveyCall } from '../../telephony/flows/survey.js';
import { PbxAuthError } from '../../telephony/pbx/errors.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { RealFreeswitch } from './real/freeswitch.js';
import { CuttableLink, builtPbx, promptsDir } from './real/built.js';
import { nextEvent, until } from './helpers.js';
import { Heard, PROMPT_ALLOWANCE_MS, hotlineService } from './real/service.js';

const prefix = builtPbx('freeswitch');
const AGENT = [
  'callcenter_config agent add 8001@default callback',
  'callcenter_config agent set contact 8001@default user/8001',
  'callcenter_config agent set wrap_up_time 8001@default 0',
  'callcenter_config agent set status 8001@default Available',
  'callcenter_config tier add hotline@default 8001@default 1 1',
];

/** Seconds of audio in a PCM WAV recording (its fmt byte rate and data chunk size). */
function wavSeconds(file: string): number {
  const wav = readFileSync(file);
  let byteRate = 0;
  for (let at = 12; at + 8 <= wav.length;) {
    const id = wav.toString('ascii', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === 'fmt ') byteRate = wav.readUInt32LE(at + 16);
    if (id === 'data') return Math.min(size, wav.length - at - 8) / byteRate;
    at += 8 + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

describe.runIf(prefix)('the survey leg on FreeSWITCH outlives the longest survey', () => {
  test("cg_survey's park_timeout leaves room for the question, two answer waits, the retry and the goodbye", () => {
    // switch_ivr_park fixes the deadline when the leg parks (at answer) and hangs up after the
    // app running then, so the whole survey must fit, whatever the service executes meanwhile.
    const dialplan = readFileSync(
      path.resolve(import.meta.dirname, '../../telephony/freeswitch/conf/dialplan/cg_agents.xml'),
      'utf8',
    );
    const survey = dialplan.slice(dialplan.indexOf('<context name="cg_survey">'));
    const parkTimeout = Number(/park_timeout=(\d+)/.exec(survey)?.[1]);
    const seconds = (id: string) => wavSeconds(path.join(promptsDir(), `${id}.wav`));
    const digit = Math.max(...Array.from({ length: 10 }, (_, d) => seconds(`digits/${d}`)));
    // a 14-digit case number, the longest there is
    const question = seconds('survey_intro') + 14 * digit + seconds('survey_ask');
    const answer = SURVEY_ANSWER_TIMEOUT_MS / 1000;
    const longest =
      question +
      answer +
      seconds('survey_retry') +
      answer +
      Math.max(seconds('survey_no_choice'), seconds('survey_thanks'));
    // the service's own round trips: two reads, the goodbye and the hangup, 2 s each on a loaded machine
    const steps = 4 * 2;
    console.log(
      `survey leg: longest path ${longest.toFixed(1)} s + ${steps} s of commands; park_timeout ${parkTimeout} s (${(parkTimeout - longest - steps).toFixed(1)} s to spare)`,
    );
    expect(longest + steps).toBeLessThanOrEqual(parkTimeout);
  });
});

describe.runIf(prefix)('the hotline on a real FreeSWITCH 1.10 with the shipped configuration', () => {
  let fs: RealFreeswitch;
  let driver: EslConnection;
  const heard = new Heard<EslHeaders>();
  const seen = heard.seen.bind(heard);
  const stops: Array<() => Promise<void>> = [];

  async function openDriver() {
    driver = await fs.connect(
      ['CHANNEL_EXECUTE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CUSTOM', 'callcenter::info'],
      (h) => {
        heard.hear(h);
      },
    );
    for (const command of AGENT) await driver.api(command, 5_000);
    // RealFreeswitch.start() returned once the agent's phone had registered (Contact gw+agent8001)
    expect(await driver.api('sofia status profile internal reg', 5_000)).toMatch(/gw\+agent8001/);
  }

  beforeAll(async () => {
    fs = new RealFreeswitch(prefix!);
    await fs.start();
    await openDriver();
  }, 90_000);

  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await driver.api('hupall NORMAL_CLEARING', 5_000).catch(() => {});
  });

  afterAll(async () => {
    await driver?.close(1_000);
    await fs?.dispose();
  });

  function service(port = fs.eslPort, store = new InMemoryCallRecordStore(), password = fs.password) {
    const pbx = new FreeSwitchPbx({
      host: '127.0.0.1',
      port,
      password,
      store,
      requiredPrompts: promptFiles(),
      timeouts: { commandMs: 5_000, ringMs: 8_000, keepaliveMs: 0, promptAllowanceMs: PROMPT_ALLOWANCE_MS },
      reconnect: { initialDelayMs: 50, maxDelayMs: 500, factor: 2, jitter: 0 },
    });
    const { pops, outcomes, stop } = hotlineService(pbx);
    stops.push(stop);
    return { pbx, store, pops, outcomes, stop };
  }

  /**
   * A citizen calls 12319 without a phone: originate loopback/12319/public &park. The
   * loopback's b leg runs our dialplan and is the call the service sees; the a leg (returned)
   * is the caller's phone, where uuid_send_dtmf presses keys.
   */
  async function callHotline(from = '13800138000') {
    const answered = seen(
      (h) =>
        h['Event-Name'] === 'CHANNEL_ANSWER' &&
        h['Caller-Destination-Number'] === '12319' &&
        h['Call-Direction'] === 'inbound',
      20_000,
      'the hotline answering',
    );
    const reply = await driver.api(
      `originate {origination_caller_id_number=${from},origination_caller_id_name=${from}}loopback/12319/public &park`,
      20_000,
    );
    expect(reply).toMatch(/^\+OK/);
    const phone = reply.replace('+OK', '').trim();
    const call = (await answered)['Unique-ID'];
    return { phone, call };
  }

  async function pressWhenAsked(call: string, phone: string, digits: string): Promise<void> {
    await seen(
      (h) =>
        h['Event-Name'] === 'CHANNEL_EXECUTE' && h['Unique-ID'] === call && h.Application === 'play_and_get_digits',
      40_000,
      'a prompt',
    );
    await driver.api(`uuid_send_dtmf ${phone} ${digits}`, 5_000);
  }

  test('the event socket: the password from the environment, not ClueCon, on loopback; every prompt found', async () => {
    const wrong = service(fs.eslPort, new InMemoryCallRecordStore(), 'ClueCon');
    await expect(wrong.pbx.start()).rejects.toBeInstanceOf(PbxAuthError);
    await wrong.stop();
    const { pbx } = service();
    await pbx.start();
    await until(() => pbx.problems().length === 0, 10_000, 'prompt check');
    // /proc/net/tcp: the socket is bound to 127.0.0.1 (0100007F), not 0.0.0.0
    const port = fs.eslPort.toString(16).toUpperCase().padStart(4, '0');
    const rows = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .filter((l) => l.includes(`:${port} `) && / 0A /.test(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.trim().split(/\s+/)[1].startsWith('0100007F:'))).toBe(true);
  }, 60_000);

  test('IVR: 2 and a real case number read back its status from the recordings; the call is recorded', async () => {
    const { pbx, store, outcomes } = service();
    await pbx.start();
    const { phone, call } = await callHotline();
    await pressWhenAsked(call, phone, '2');
    await pressWhenAsked(call, phone, '2026112100001#');
    const status = await seen(
      (h) =>
        h['Event-Name'] === 'CHANNEL_EXECUTE' &&
        h['Unique-ID'] === call &&
        /case_status_intro/.test(h['Application-Data'] ?? ''),
      30_000,
      'the status read back',
    );
    expect(status['Application-Data']).toMatch(/digits\/2\.wav!.*status_dispatched\.wav/);
    await until(() => outcomes.has(call), 60_000, 'IVR outcome');
    expect(outcomes.get(call)).toEqual({ kind: 'case_status', caseNumber: '2026112100001' });
    await nextEvent(pbx, 'recording.stopped', (e) => e.callId === call, 30_000);
    await pbx.flush();
    const record = store.get(call)!;
    expect(record).toMatchObject({ direction: 'inbound', callerNumber: '13800138000', calledNumber: '12319' });
    expect(record.recordingPath).toBe(`${fs.recordings}/${call}.wav`);
    expect(existsSync(record.recordingPath!)).toBe(true);
  }, 120_000);

  test("queue and screen-pop: the agent named by mod_callcenter, though the phone's Contact is gw+agent8001", async () => {
    const { pbx, pops, outcomes } = service();
    await pbx.start();
    const { phone, call } = await callHotline('13800138001');
    const contact = seen((h) => h['Event-Name'] === 'CHANNEL_BRIDGE' && h['Unique-ID'] === call, 60_000, 'the bridge');
    await pressWhenAsked(call, phone, '3');
    expect((await contact)['Other-Leg-Destination-Number']).toBe('gw+agent8001');
    await until(() => pops.length > 0, 60_000, 'screen-pop');
    expect(outcomes.get(call)).toEqual({ kind: 'queued', reason: 'agent' });
    expect(pops[0]).toMatchObject({
      callId: call,
      callerNumber: '13800138001',
      agent: { extension: '8001', id: '8001@default' },
    });
  }, 120_000);

  describe('survey calls through the pstn gateway', () => {
    async function survey(to: string, key?: string) {
      const { pbx, store } = service();
      await pbx.start();
      let citizen = '';
      const far = seen(
        (h) =>
          h['Event-Name'] === 'CHANNEL_ANSWER' &&
          h['Caller-Destination-Number'] === to &&
          h['Call-Direction'] === 'inbound',
        30_000,
        'the citizen answering',
      );
      far.then((h) => (citizen = h['Unique-ID'])).catch(() => {});
      if (key) {
        void seen(
          (h) =>
            h['Event-Name'] === 'CHANNEL_EXECUTE' &&
            h.Application === 'play_and_get_digits' &&
            h['Caller-Destination-Number'] === 'survey',
          40_000,
          'the question',
        )
          .then(async () => {
            await far;
            await driver.api(`uuid_send_dtmf ${citizen} ${key}`, 5_000);
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
      const { result, record } = await survey('13900000001', '1');
      expect(result).toMatchObject({ outcome: 'answered', digit: '1', level: 'satisfied' });
      expect(record).toMatchObject({ direction: 'outbound', calledNumber: '13900000001' });
    }, 90_000);

    test('unsatisfied (3)', async () => {
      const { result } = await survey('13900000002', '3');
      expect(result).toMatchObject({ outcome: 'answered', digit: '3', level: 'dissatisfied' });
    }, 90_000);

    test('busy', async () => {
      expect((await survey('13900000486')).result.outcome).toBe('busy');
    }, 60_000);

    test('rejected', async () => {
      expect((await survey('13900000603')).result.outcome).toBe('rejected');
    }, 60_000);

    test('no answer', async () => {
      expect((await survey('13900000408')).result.outcome).toBe('no_answer');
    }, 60_000);

    test('silence: no valid choice after the retry', async () => {
      expect((await survey('13900000003')).result.outcome).toBe('no_valid_choice');
    }, 150_000);
  });

  test('a caller arriving while the service is away reaches an agent, not silence', async () => {
    const bridged = seen(
      (h) => h['Event-Subclass'] === 'callcenter::info' && h['CC-Action'] === 'bridge-agent-start',
      60_000,
      'the agent',
    );
    await callHotline('13800138004');
    expect((await bridged)['CC-Agent']).toBe('8001@default');
  }, 90_000);

  test('the event socket cut and restored mid-prompt: the caller is asked again, not sent to the queue', async () => {
    const link = new CuttableLink(fs.eslPort);
    await link.listen();
    stops.push(() => link.close());
    const { pbx, outcomes } = service(link.port);
    await pbx.start();
    const { phone, call } = await callHotline('13800138002');
    await seen(
      (h) =>
        h['Event-Name'] === 'CHANNEL_EXECUTE' && h['Unique-ID'] === call && h.Application === 'play_and_get_digits',
      30_000,
      'a prompt',
    );
    const back = nextEvent(pbx, 'pbx.state', (e) => e.state === 'connected', 20_000);
    link.cut();
    await back;
    await pressWhenAsked(call, phone, '3');
    await until(() => outcomes.has(call), 60_000, 'IVR outcome');
    expect(outcomes.get(call)).toEqual({ kind: 'queued', reason: 'agent' });
  }, 120_000);

  test('the service restarting mid-call: the record keeps its called number and first answer; the agent gets the pop', async () => {
    const store = new InMemoryCallRecordStore();
    const first = service(fs.eslPort, store);
    await first.pbx.start();
    const { call } = await callHotline('13800138003');
    await seen(
      (h) =>
        h['Event-Name'] === 'CHANNEL_EXECUTE' && h['Unique-ID'] === call && h.Application === 'play_and_get_digits',
      30_000,
      'a prompt',
    );
    await first.pbx.flush();
    const answeredAt = store.get(call)?.answeredAt;
    await first.stop();
    const second = service(fs.eslPort, store);
    await second.pbx.start();
    expect(second.pbx.getCall(call)).toMatchObject({ calledNumber: '12319' });
    // the dialplan's fall-back (sched_transfer) takes the caller to the queue once the prompt ends
    await until(() => second.pops.length > 0, 90_000, 'screen-pop after the restart');
    expect(second.pops[0]).toMatchObject({ callId: call, agent: { extension: '8001' } });
    await second.pbx.flush();
    expect(store.get(call)).toMatchObject({ calledNumber: '12319', answeredAt, callerNumber: '13800138003' });
    expect(store.get(call)?.bridgedAt).toBeInstanceOf(Date);
  }, 150_000);

  test('FreeSWITCH restarting: the service reconnects by itself and takes the next call', async () => {
    const { pbx, outcomes } = service();
    await pbx.start();
    const lost = nextEvent(pbx, 'pbx.state', (e) => e.state === 'reconnecting', 30_000);
    await driver.close(1_000);
    await fs.stop();
    await lost;
    const back = nextEvent(pbx, 'pbx.state', (e) => e.state === 'connected', 60_000);
    await fs.start();
    await back;
    await openDriver();
    const { phone, call } = await callHotline('13800138005');
    await pressWhenAsked(call, phone, '3');
    await until(() => outcomes.has(call), 60_000, 'IVR outcome');
    expect(outcomes.get(call)).toEqual({ kind: 'queued', reason: 'agent' });
  }, 180_000);
});
