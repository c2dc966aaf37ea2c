import { afterEach, describe, expect, test } from 'vitest';
import { InboundCalls, type ScreenPop } from '../../telephony/flows/inbound.js';
import { HotlineIvr, type IvrOutcome } from '../../telephony/flows/ivr.js';
import { prompts } from '../../telephony/flows/prompts.js';
import { runSurveyCall } from '../../telephony/flows/survey.js';
import type { Prompt } from '../../telephony/pbx/types.js';
import type { OriginateSeen, SimCall } from '../../telephony/testing/sim-call.js';
import { type Harness, asteriskHarness, freeswitchHarness, nextEvent, until } from './helpers.js';

type AnyHarness = Harness<{
  simulateInboundCall(call: { from: string; to: string; callerName?: string }): SimCall;
  onOriginate(handler: (request: OriginateSeen) => unknown): void;
  liveCalls: SimCall[];
}>;

const pbxes = [
  { name: 'FreeSWITCH', make: () => freeswitchHarness() as Promise<AnyHarness> },
  { name: 'Asterisk', make: () => asteriskHarness() as Promise<AnyHarness> },
];

/** The recordings a prompt is made of, in order (a case number digit by digit). */
function filesOf(prompt: Prompt): string[] {
  return (prompt.parts ?? [{ file: prompt.id }]).flatMap((part) =>
    'file' in part ? [part.file] : part.digits.split('').map((d) => `digits/${d}`),
  );
}

/** What the PBX was asked to play for a prompt: FreeSWITCH plays <dir>/<id>.wav (file_string:// for several), Asterisk cg/<id>&... */
function heard(call: SimCall, prompt: Prompt): boolean {
  const files = filesOf(prompt);
  const freeswitch = files.map((f) => `\${cg_prompts_dir}/${f}.wav`);
  const asterisk = files.map((f) => `cg/${f}`).join('&');
  return call.prompts.some(
    (p) => p === asterisk || p === (freeswitch.length === 1 ? freeswitch[0] : `file_string://${freeswitch.join('!')}`),
  );
}

const CASES: Record<string, string> = { '2026112100001': '派遣', '20261121100000': '处置中' };
const lookupCaseStatus = async (caseNumber: string) => CASES[caseNumber] ?? null;

let current: AnyHarness | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function started(make: () => Promise<AnyHarness>): Promise<AnyHarness> {
  current = await make();
  await current.pbx.start();
  return current;
}

function script(call: SimCall, answers: Array<string | null>): void {
  call.onCollect(() => (answers.length ? answers.shift() : null));
}

describe.each(pbxes)('inbound hotline calls on $name', ({ make }) => {
  test('a call to 12319 gets a record and, once bridged to an agent, a screen-pop', async () => {
    const h = await started(make);
    const pops: ScreenPop[] = [];
    const inbound = new InboundCalls({ pbx: h.pbx, hotlineNumbers: ['12319', '96310'] }).start();
    inbound.on('screen-pop', (pop) => pops.push(pop));

    const other = h.server.simulateInboundCall({ from: '13900000000', to: '8001' });
    const call = h.server.simulateInboundCall({ from: '13800138000', to: '96310', callerName: '李四' });
    const bridged = nextEvent(h.pbx, 'call.bridged', (e) => e.callId === call.id);
    call.bridgeToAgent('1002', '1002@default');
    other.bridgeToAgent('1003');
    await bridged;
    await until(() => pops.length === 1, 3_000, 'screen-pop');
    expect(pops[0]).toMatchObject({ callId: call.id, callerNumber: '13800138000', agent: { extension: '1002' } });

    call.hangup();
    await nextEvent(h.pbx, 'call.hungup', (e) => e.callId === call.id);
    await h.pbx.flush();
    expect(h.store.get(call.id)).toMatchObject({
      direction: 'inbound',
      callerNumber: '13800138000',
      callerName: '李四',
      calledNumber: '96310',
      hangupCause: 'NORMAL_CLEARING',
      agent: { extension: '1002' },
    });
    expect(h.store.get(call.id)?.bridgedAt).toBeInstanceOf(Date);
    inbound.stop();
  });
});

describe.each(pbxes)('IVR self-service on $name', ({ make }) => {
  async function runIvr(answers: Array<string | null>, lookup = lookupCaseStatus) {
    const h = await started(make);
    const ivr = new HotlineIvr({
      pbx: h.pbx,
      hotlineNumbers: ['12319', '96310'],
      agentQueue: 'hotline',
      lookupCaseStatus: lookup,
      menuTimeoutMs: 60,
      caseNumberTimeoutMs: 60,
      digitTimeoutMs: 60,
    }).start();
    const finished = new Promise<{ callId: string; outcome: IvrOutcome }>((resolve) => ivr.on('ivr.finished', resolve));
    const call = h.server.simulateInboundCall({ from: '13800138000', to: '12319' });
    script(call, answers);
    const result = await finished;
    ivr.stop();
    expect(result.callId).toBe(call.id);
    return { h, call, outcome: result.outcome };
  }

  test('1 reports a problem: the caller goes to the agent queue and is bridged', async () => {
    const { h, call, outcome } = await runIvr(['1']);
    expect(outcome).toEqual({ kind: 'queued', reason: 'report' });
    expect(heard(call, prompts.mainMenu)).toBe(true);
    expect(heard(call, prompts.transferToAgent)).toBe(true);
    await until(() => h.pbx.getCall(call.id)?.agent !== null, 3_000, 'bridge');
    expect(h.pbx.getCall(call.id)?.agent?.extension).toBe('1001');
  });

  test('3 talks to an agent', async () => {
    const { outcome } = await runIvr(['3']);
    expect(outcome).toEqual({ kind: 'queued', reason: 'agent' });
  });

  test('2 reads back the status of a known case number, then says goodbye and hangs up', async () => {
    const { h, call, outcome } = await runIvr(['2', '2026112100001#']);
    expect(outcome).toEqual({ kind: 'case_status', caseNumber: '2026112100001' });
    expect(heard(call, prompts.enterCaseNumber)).toBe(true);
    expect(heard(call, prompts.caseStatus('2026112100001', CASES['2026112100001']))).toBe(true);
    expect(heard(call, prompts.goodbye)).toBe(true);
    await call.ended;
    await h.pbx.flush();
    expect(h.store.get(call.id)?.dtmf).toBe('22026112100001#');
  });

  test('a 14-digit case number (the 100,000th case of a day) is read back, and no prompt says 13 digits', async () => {
    const { call, outcome } = await runIvr(['2', '20261121100000#']);
    expect(outcome).toEqual({ kind: 'case_status', caseNumber: '20261121100000' });
    expect(heard(call, prompts.caseStatus('20261121100000', '处置中'))).toBe(true);
    for (const p of [prompts.enterCaseNumber, prompts.caseNumberInvalid, prompts.caseNumberTimeout]) {
      expect(p.text).not.toMatch(/13位(?!或14位)/);
    }
  });

  test('an unknown case number is said so, and the caller may retry', async () => {
    const { call, outcome } = await runIvr(['2', '2026010100099#', '1', '2026112100001#']);
    expect(heard(call, prompts.caseNotFound('2026010100099'))).toBe(true);
    expect(outcome).toEqual({ kind: 'case_status', caseNumber: '2026112100001' });
  });

  test('a malformed case number (bad date) is re-prompted', async () => {
    const { call, outcome } = await runIvr(['2', '2026139900001#', '2026112100001#']);
    expect(heard(call, prompts.caseNumberInvalid)).toBe(true);
    expect(outcome).toEqual({ kind: 'case_status', caseNumber: '2026112100001' });
  });

  test('invalid input is re-prompted', async () => {
    const { call, outcome } = await runIvr(['9', '1']);
    expect(heard(call, prompts.mainMenuAfterInvalid)).toBe(true);
    expect(outcome).toEqual({ kind: 'queued', reason: 'report' });
  });

  test('silence is re-prompted up to 3 times, then the caller goes to an agent', async () => {
    const { call, outcome } = await runIvr([null, null, null, null]);
    expect(outcome).toEqual({ kind: 'queued', reason: 'too_many_attempts' });
    expect(
      call.prompts.filter(
        (p) =>
          p.endsWith(`/${prompts.mainMenuAfterTimeout.id}.wav`) || p.endsWith(`/${prompts.mainMenuAfterTimeout.id}`),
      ),
    ).toHaveLength(3);
    expect(heard(call, prompts.tooManyAttempts)).toBe(true);
  });

  test('a failing status lookup hands the caller to an agent', async () => {
    const { outcome } = await runIvr(['2', '2026112100001#'], async () => {
      throw new Error('database down');
    });
    expect(outcome).toEqual({ kind: 'queued', reason: 'lookup_failed' });
  });

  test('a caller who hangs up mid-menu ends the IVR', async () => {
    const { outcome } = await runIvr(['hangup']);
    expect(outcome).toEqual({ kind: 'hangup' });
  });
});

describe.each(pbxes)('survey calls on $name', ({ make }) => {
  const request = { to: '13800138000', callerId: '12319', caseId: 'c-42', caseNo: '2026112100001' };

  test.each([
    ['1', 'satisfied', '满意'],
    ['2', 'basically_satisfied', '基本满意'],
    ['3', 'dissatisfied', '不满意'],
  ])('answered with %s', async (digit, level, label) => {
    const h = await started(make);
    const seen: OriginateSeen[] = [];
    h.server.onOriginate((req) => {
      seen.push(req);
      return { outcome: 'answer', onAnswered: (call: SimCall) => script(call, [digit]) };
    });
    const result = await runSurveyCall(h.pbx, request, { answerTimeoutMs: 60 });
    expect(result).toMatchObject({ outcome: 'answered', digit, level, label });
    expect(seen[0]).toMatchObject({
      destination: '13800138000',
      callerId: '12319',
      variables: { case_id: 'c-42', case_no: '2026112100001' },
    });
    await until(() => h.pbx.getCall(result.callId)?.endedAt != null, 3_000, 'hangup');
    await h.pbx.flush();
    expect(h.store.get(result.callId)).toMatchObject({
      direction: 'outbound',
      callerNumber: '12319',
      calledNumber: '13800138000',
      variables: { case_id: 'c-42', case_no: '2026112100001' },
      dtmf: digit,
    });
  });

  test('one retry after invalid input', async () => {
    const h = await started(make);
    let call: SimCall | undefined;
    h.server.onOriginate(() => ({
      outcome: 'answer',
      onAnswered: (c: SimCall) => {
        call = c;
        script(c, ['7', '2']);
      },
    }));
    const result = await runSurveyCall(h.pbx, request, { answerTimeoutMs: 60 });
    expect(result).toMatchObject({ outcome: 'answered', digit: '2' });
    expect(heard(call!, prompts.surveyRetry)).toBe(true);
  });

  test('no valid choice after the retry', async () => {
    const h = await started(make);
    h.server.onOriginate(() => ({ outcome: 'answer', onAnswered: (c: SimCall) => script(c, [null, '9']) }));
    expect(await runSurveyCall(h.pbx, request, { answerTimeoutMs: 60 })).toMatchObject({ outcome: 'no_valid_choice' });
  });

  test('the citizen hangs up before choosing', async () => {
    const h = await started(make);
    h.server.onOriginate(() => ({ outcome: 'answer', onAnswered: (c: SimCall) => script(c, ['hangup']) }));
    expect(await runSurveyCall(h.pbx, request, { answerTimeoutMs: 500 })).toMatchObject({
      outcome: 'hungup_without_answer',
    });
  });

  test.each([
    ['no_answer', 'no_answer'],
    ['busy', 'busy'],
    ['reject', 'rejected'],
    ['fail', 'failed'],
  ] as const)('callee %s → %s, and the attempt is recorded', async (plan, outcome) => {
    const h = await started(make);
    h.server.onOriginate(() => plan);
    const result = await runSurveyCall(h.pbx, request);
    expect(result.outcome).toBe(outcome);
    await h.pbx.flush();
    const record = h.store.get(result.callId);
    expect(record).toMatchObject({ direction: 'outbound', calledNumber: '13800138000', answeredAt: null });
    expect(record?.endedAt).toBeInstanceOf(Date);
  });
});
