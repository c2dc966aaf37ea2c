import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { HotlineIvr, type IvrOutcome } from '../../telephony/flows/ivr.js';
import { prompts } from '../../telephony/flows/prompts.js';
import { runSurveyCall } from '../../telephony/flows/survey.js';
import { PbxTimeoutError } from '../../telephony/pbx/errors.js';
import type { SimCall } from '../../telephony/testing/sim-call.js';
import { readSipProfiles, shippedSipProfilesDir } from '../../telephony/testing/sip-profiles.js';
import { type Harness, freeswitchHarness, nextEvent, until } from './helpers.js';
import type { TestEslServer } from '../../telephony/testing/esl-server.js';
import type { FreeSwitchOptions } from '../../telephony/freeswitch/adapter.js';

/**
 * FreeSWITCH sends a prompt's audio on the profile's RTP timer (`rtp-timer-name`). Without
 * one it paces what it writes by what it reads, and a far end that sends no audio (a
 * parked leg, a trunk with silence suppression) hears one 20 ms frame per 5 s: a survey
 * never reaches its read. The ESL test server reads the profiles as FreeSWITCH does and
 * stalls those prompts, so these calls fail if a shipped profile loses its timer.
 */
const request = { to: '13800138000', callerId: '12319', caseId: 'c-42', caseNo: '2026112100001' };

let current: Harness<TestEslServer> | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function started(sipProfilesDir?: string, pbxOptions: Partial<FreeSwitchOptions> = {}) {
  current = await freeswitchHarness(sipProfilesDir ? { sipProfilesDir } : {}, pbxOptions);
  await current.pbx.start();
  return current;
}

/** A citizen who answers and sends no audio, pressing these keys when asked (null: nothing). */
function silentCitizen(h: Harness<TestEslServer>, keys: Array<string | null>): Promise<SimCall> {
  return new Promise((resolve) =>
    h.server.onOriginate(() => ({
      outcome: 'answer',
      silent: true,
      onAnswered: (call) => {
        call.onCollect(() => keys.shift() ?? null);
        resolve(call);
      },
    })),
  );
}

describe('the SIP profiles we ship send prompts on a clock of their own', () => {
  test('every profile names the soft timer', () => {
    const profiles = readSipProfiles();
    expect([...profiles.keys()].sort()).toEqual(['external', 'internal']);
    for (const profile of profiles.values()) expect(profile).toMatchObject({ rtpTimerName: 'soft', clocked: true });
  });

  test('a survey to a phone that sends no audio: question, key, thanks, hangup', async () => {
    const h = await started();
    const citizen = silentCitizen(h, ['1']);
    const result = await runSurveyCall(h.pbx, request, { answerTimeoutMs: 200 });
    expect(result).toMatchObject({ outcome: 'answered', digit: '1', level: 'satisfied' });
    // the thanks played to its end, then the service hung up
    await until(() => h.pbx.getCall(result.callId)?.endedAt != null, 3_000, 'the hangup');
    const call = await citizen;
    expect(call.prompts.at(-1)).toBe(`\${cg_prompts_dir}/${prompts.surveyThanks.id}.wav`);
  });

  test('a silent citizen who never presses: the question, the retry, no valid choice, hangup', async () => {
    const h = await started();
    const citizen = silentCitizen(h, []);
    const result = await runSurveyCall(h.pbx, request, { answerTimeoutMs: 200 });
    expect(result).toMatchObject({ outcome: 'no_valid_choice' });
    await until(() => h.pbx.getCall(result.callId)?.endedAt != null, 3_000, 'the hangup');
    const call = await citizen;
    expect(call.prompts.at(-1)).toBe(`\${cg_prompts_dir}/${prompts.surveyNoChoice.id}.wav`);
  });

  test('a hotline caller on a trunk with silence suppression goes through the IVR to an agent', async () => {
    const h = await started();
    const ivr = new HotlineIvr({
      pbx: h.pbx,
      hotlineNumbers: ['12319'],
      agentQueue: 'hotline',
      lookupCaseStatus: async () => null,
      menuTimeoutMs: 100,
      caseNumberTimeoutMs: 100,
      digitTimeoutMs: 100,
    }).start();
    const finished = new Promise<IvrOutcome>((resolve) => ivr.on('ivr.finished', (e) => resolve(e.outcome)));
    const call = h.server.simulateInboundCall({ from: '13800138000', to: '12319', silent: true });
    const bridged = nextEvent(h.pbx, 'call.bridged', (e) => e.callId === call.id);
    // never a key: the menu, its re-prompt, then the transfer prompt and the queue
    expect(await finished).toEqual({ kind: 'queued', reason: 'too_many_attempts' });
    await bridged;
    ivr.stop();
  });

  test.each([...readSipProfiles().keys()])(
    'a prompt to a silent leg on the %s profile plays to its end',
    async (profile) => {
      const h = await started(undefined, { dialString: `sofia/${profile}/{number}@198.51.100.9` });
      const citizen = silentCitizen(h, []);
      const placed = await h.pbx.originate({ destination: '13800138000', callerId: '12319' });
      expect(placed.status).toBe('answered');
      expect(await h.pbx.play(placed.callId, prompts.goodbye)).toBe('completed');
      expect((await citizen).isUp()).toBe(true);
    },
  );
});

describe('the test server, like FreeSWITCH, stalls prompts to a silent leg on a profile without the timer', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cg-sip-profiles-'));
  cpSync(shippedSipProfilesDir, dir, { recursive: true });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
    const xml = readFileSync(path.join(dir, file), 'utf8');
    writeFileSync(path.join(dir, file), xml.replace(/<param name="rtp-timer-name"[^>]*\/>/g, ''));
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the copy has no timer left', () => {
    for (const profile of readSipProfiles(dir).values())
      expect(profile).toMatchObject({ rtpTimerName: null, clocked: false });
  });

  test('a silent citizen: the question never ends, and the survey gives up on the PBX', async () => {
    const h = await started(dir);
    const citizen = silentCitizen(h, []);
    await expect(runSurveyCall(h.pbx, request, { answerTimeoutMs: 200 })).rejects.toBeInstanceOf(PbxTimeoutError);
    expect((await citizen).isUp()).toBe(true);
  });

  test('a key breaks the question, but the thanks never ends and the call is not hung up', async () => {
    const h = await started(dir);
    const citizen = silentCitizen(h, ['1']);
    // the answer is kept; finishing the call (thanks, hangup) fails on the PBX's timeout
    expect(await runSurveyCall(h.pbx, request, { answerTimeoutMs: 200 })).toMatchObject({
      outcome: 'answered',
      digit: '1',
    });
    const call = await citizen;
    expect(call.isUp()).toBe(true);
    call.hangup();
    await call.ended;
  });

  test('a citizen whose phone sends audio paces the prompts: the survey ends as usual', async () => {
    const h = await started(dir);
    h.server.onOriginate(() => ({ outcome: 'answer', onAnswered: (call) => call.onCollect(() => '3') }));
    expect(await runSurveyCall(h.pbx, request, { answerTimeoutMs: 200 })).toMatchObject({
      outcome: 'answered',
      digit: '3',
    });
  });
});
