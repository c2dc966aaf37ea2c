import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { and, eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, transition } from '../helpers/factories.js';
import { TestEslServer } from '../../telephony/testing/esl-server.js';
import type { OriginateSeen, OriginatePlan } from '../../telephony/testing/sim-call.js';
import { createPbx } from '../../telephony/index.js';
import { caseEvents, citizens, calls, surveys } from '../../server/db/schema.js';
import { scheduleSurveys } from '../../server/surveys/schedule.js';
import { runSurveyAttempt } from '../../server/surveys/attempt.js';
import { answerSurvey } from '../../server/surveys/answer.js';
import { pbxSurveyCaller } from '../../server/surveys/caller.js';
import { maskPhone } from '../../server/lib/phone.js';
import { at, caseInSurvey, caseRow, disposeAndCheck, spot, surveysOf, tokens, type Tokens } from './helpers.js';

/**
 * Survey calls end to end: the survey jobs' handlers, called with a fixed clock,
 * place real calls through the FreeSWITCH adapter to the test event socket.
 */
let esl: TestEslServer;
let t: TestContext;
let tok: Tokens;
let seen: OriginateSeen[];

beforeAll(async () => {
  esl = new TestEslServer();
  const port = await esl.listen();
  t = await createTestContext({ env: { PBX: 'freeswitch', PBX_PORT: String(port), PBX_PASSWORD: 'ClueCon' } });
  tok = await tokens(t);
});
afterAll(async () => {
  await t.services.pbx?.stop();
  await t.close();
  await esl.close();
});
beforeEach(() => {
  seen = [];
});

/** What the citizen's phone does: answer and press `digit`, or ring out. */
function citizenPhone(plan: string | Exclude<OriginatePlan, object>) {
  esl.onOriginate((req) => {
    seen.push(req);
    if (plan.length === 1) return { outcome: 'answer', onAnswered: (call) => call.onCollect(() => plan) };
    return plan as OriginatePlan;
  });
}

const events = async (caseId: string, action: string) =>
  t.services.database.db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, action)));

describe('scheduling', () => {
  it('schedules every citizen of the case once, at the next calling time, however often the job runs', async () => {
    const where = spot();
    const c = await fileReport(t, tok.agent, { location: where, phone: '13900000011' });
    const dup = await fileReport(t, tok.agent, {
      location: where,
      phone: '13900000012',
      text: '东湖路这里井盖丢了，晚上很危险',
    });
    expect(dup.id).toBe(c.id);
    await disposeAndCheck(t, tok, c.id);

    const evening = at('2026-11-25T21:30');
    expect(await scheduleSurveys(t.services, c.id, evening)).toEqual({ round: 0, scheduled: 2 });
    expect(await scheduleSurveys(t.services, c.id, evening)).toEqual({ round: 0, scheduled: 0 });
    const rows = await surveysOf(t, c.id);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((s) => s.citizenId)).size).toBe(2);
    for (const s of rows)
      expect(s).toMatchObject({
        channel: 'phone',
        status: 'scheduled',
        round: 0,
        attempts: 0,
        nextAttemptAt: at('2026-11-26T09:00'),
      });
    expect(await events(c.id, 'survey_scheduled')).toHaveLength(1);

    // The job for the morning, run too early (a duplicate), does nothing.
    citizenPhone('1');
    expect(await runSurveyAttempt(t.services, rows[0].id, evening)).toBe('noop');
    expect(seen).toHaveLength(0);
  });

  it('does nothing for a case not (or no longer) in 回访', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    expect(await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'))).toBeNull();
    expect(await surveysOf(t, c.id)).toHaveLength(0);
  });

  it('defers a call whose job runs late, outside calling hours, to the next window', async () => {
    const c = await caseInSurvey(t, tok);
    await scheduleSurveys(t.services, c.id, at('2026-11-26T08:00'));
    const [s] = await surveysOf(t, c.id);
    citizenPhone('1');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T12:30'))).toBe('deferred');
    expect(seen).toHaveLength(0);
    expect((await surveysOf(t, c.id))[0]).toMatchObject({
      status: 'scheduled',
      attempts: 0,
      nextAttemptAt: at('2026-11-26T14:00'),
    });
  });
});

describe('outcomes', () => {
  it('满意 on the phone closes the case (by the system) and cancels the other citizen’s survey; a re-run calls nobody', async () => {
    const where = spot();
    const c = await fileReport(t, tok.agent, { location: where, phone: '13900000021' });
    await fileReport(t, tok.agent, { location: where, phone: '13900000022', text: '东湖路井盖缺失，需要处理' });
    await disposeAndCheck(t, tok, c.id);
    await scheduleSurveys(t.services, c.id, at('2026-11-26T08:00'));
    const [first, second] = await surveysOf(t, c.id);

    citizenPhone('1');
    expect(await runSurveyAttempt(t.services, first.id, at('2026-11-26T09:00'))).toBe('answered');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      callerId: '12319',
      variables: { case_id: c.id, case_no: c.caseNo, cg_purpose: 'survey' },
    });
    const reporter = (await t.services.database.db.select().from(citizens).where(eq(citizens.id, first.citizenId)))[0];
    expect(t.services.phones.decrypt(reporter.phoneEnc!)).toBe(seen[0].destination);

    const kase = await caseRow(t, c.id);
    expect(kase).toMatchObject({ state: '结案', surveyResult: '满意' });
    const [close] = await events(c.id, 'close');
    expect(close).toMatchObject({ actorType: 'system', fromState: '回访', toState: '结案' });
    const [answered] = await events(c.id, 'survey_answered');
    expect(answered.note).toBe('电话回访：满意');
    expect(await surveysOf(t, c.id)).toMatchObject([
      { id: first.id, status: 'answered', result: '满意', answeredBy: 'phone', attempts: 1 },
      { id: second.id, status: 'cancelled' },
    ]);

    expect(await runSurveyAttempt(t.services, first.id, at('2026-11-26T09:00'))).toBe('noop');
    expect(await runSurveyAttempt(t.services, second.id, at('2026-11-26T09:00'))).toBe('noop');
    expect(seen).toHaveLength(1);
    // The survey call is in the case's call records, the number masked.
    await t.services.pbx!.flush();
    const [record] = await t.services.database.db.select().from(calls).where(eq(calls.caseId, c.id));
    expect(record).toMatchObject({ direction: 'outbound', calledNumber: maskPhone(seen[0].destination) });
    expect(['139****0021', '139****0022']).toContain(record.calledNumber);
  });

  it('基本满意 closes too', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000031' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    citizenPhone('2');
    expect(await runSurveyAttempt(t.services, (await surveysOf(t, c.id))[0].id, at('2026-11-26T10:00'))).toBe(
      'answered',
    );
    expect(await caseRow(t, c.id)).toMatchObject({ state: '结案', surveyResult: '基本满意' });
  });

  it('不满意 reworks the case to the same department, and the next 回访 is a new round that can close it', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000041' });
    const before = await caseRow(t, c.id);
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [round0] = await surveysOf(t, c.id);
    citizenPhone('3');
    expect(await runSurveyAttempt(t.services, round0.id, at('2026-11-26T10:00'))).toBe('answered');

    const reworked = await caseRow(t, c.id);
    expect(reworked).toMatchObject({
      state: '处置中',
      reworkCount: 1,
      departmentId: before.departmentId,
      surveyResult: null,
    });
    const [rework] = await events(c.id, 'rework');
    expect(rework).toMatchObject({ actorType: 'system', fromState: '回访', toState: '处置中', note: '市民回访不满意' });
    // Scheduling again for the old round is a no-op: the case is not in 回访.
    expect(await scheduleSurveys(t.services, c.id, at('2026-11-26T10:05'))).toBeNull();

    await disposeAndCheck(t, tok, c.id);
    expect(await scheduleSurveys(t.services, c.id, at('2026-11-27T15:00'))).toEqual({ round: 1, scheduled: 1 });
    const [, round1] = await surveysOf(t, c.id);
    expect(round1).toMatchObject({ round: 1, status: 'scheduled', citizenId: round0.citizenId });
    citizenPhone('1');
    expect(await runSurveyAttempt(t.services, round1.id, at('2026-11-27T15:00'))).toBe('answered');
    expect(await caseRow(t, c.id)).toMatchObject({ state: '结案', surveyResult: '满意', reworkCount: 1 });
    expect((await surveysOf(t, c.id)).map((s) => [s.round, s.result])).toEqual([
      [0, '不满意'],
      [1, '满意'],
    ]);
  });

  it('不满意 in the citizen’s own words becomes the rework note', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000051' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [s] = await surveysOf(t, c.id);
    const out = await answerSurvey(t.services, {
      caseNo: c.caseNo,
      citizenId: s.citizenId,
      result: '不满意',
      comment: '井盖还是松的，一踩就响',
      via: 'chat',
    });
    expect(out.effect).toBe('reworked');
    const [rework] = await events(c.id, 'rework');
    expect(rework.note).toBe('井盖还是松的，一踩就响');
    // The call job that was due finds the case reworked and calls nobody.
    citizenPhone('1');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T10:00'))).toBe('noop');
    expect(seen).toHaveLength(0);
  });
});

describe('retries and the manual callback queue', () => {
  it('tries again after the interval inside calling hours, then hands the case to agents, who record the answer by hand', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000061' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T19:00'));
    const [s] = await surveysOf(t, c.id);

    citizenPhone('no_answer');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T19:30'))).toBe('retry');
    // 19:30 + 2 h is night: the next attempt is the next morning.
    expect((await surveysOf(t, c.id))[0]).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      lastOutcome: 'no_answer',
      nextAttemptAt: at('2026-11-27T09:00'),
    });
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T19:31'))).toBe('noop');

    citizenPhone('busy');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-27T09:00'))).toBe('retry');
    expect((await surveysOf(t, c.id))[0]).toMatchObject({
      attempts: 2,
      lastOutcome: 'busy',
      nextAttemptAt: at('2026-11-27T11:00'),
    });

    citizenPhone('reject');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-27T11:00'))).toBe('exhausted');
    expect(seen.map((r) => r.destination)).toEqual(['13900000061', '13900000061', '13900000061']);
    expect((await surveysOf(t, c.id))[0]).toMatchObject({
      status: 'exhausted',
      result: '未接通',
      attempts: 3,
      lastOutcome: 'rejected',
    });
    expect((await caseRow(t, c.id)).state).toBe('回访');
    expect((await events(c.id, 'survey_exhausted'))[0].note).toMatch(/转人工回访/);

    const queue = await t.http().get('/api/surveys/callbacks').set('Authorization', `Bearer ${tok.agent}`);
    expect(queue.status).toBe(200);
    const item = queue.body.items.find((i: any) => i.case.caseNo === c.caseNo);
    expect(item).toMatchObject({
      id: s.id,
      reason: 'exhausted',
      citizen: { phoneMasked: '139****0061', doNotCall: false },
      survey: { status: 'exhausted', attempts: 3 },
    });
    expect(JSON.stringify(queue.body)).not.toContain('13900000061');
    expect((await t.http().get('/api/surveys/callbacks').set('Authorization', `Bearer ${tok.szss}`)).status).toBe(403);

    const answer = (token: string, body: object) =>
      t.http().post(`/api/surveys/${s.id}/answer`).set('Authorization', `Bearer ${token}`).send(body);
    expect((await answer(tok.szss, { result: '满意' })).status).toBe(403);
    const bad = await answer(tok.agent, { result: '很好' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const ok = await answer(tok.agent, { result: '基本满意', comment: '电话回访补录' });
    expect(ok.status).toBe(200);
    expect(ok.body.case).toMatchObject({ state: '结案', surveyResult: '基本满意' });
    expect(ok.body.survey).toMatchObject({ status: 'answered', result: '基本满意', comment: '电话回访补录' });
    expect((await surveysOf(t, c.id))[0].answeredBy).toMatch(/^agent:/);
    const again = await answer(tok.agent, { result: '不满意' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('survey_answered');
    const queueAfter = await t.http().get('/api/surveys/callbacks').set('Authorization', `Bearer ${tok.agent}`);
    expect(queueAfter.body.items.some((i: any) => i.case.caseNo === c.caseNo)).toBe(false);
  });

  it('waits out a public holiday between attempts', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000071' });
    await scheduleSurveys(t.services, c.id, at('2026-09-30T19:00'));
    const [s] = await surveysOf(t, c.id);
    citizenPhone('no_answer');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-09-30T19:30'))).toBe('retry');
    expect((await surveysOf(t, c.id))[0].nextAttemptAt).toEqual(at('2026-10-08T09:00'));
  });

  it('拒绝回访 sets do-not-call and leaves the decision to a supervisor, who closes with a reason; the citizen is not called again', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000081' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [s] = await surveysOf(t, c.id);
    const r = await t
      .http()
      .post(`/api/surveys/${s.id}/answer`)
      .set('Authorization', `Bearer ${tok.agent}`)
      .send({ result: '拒绝回访', comment: '市民表示不需要回访' });
    expect(r.status).toBe(200);
    expect(r.body.survey).toMatchObject({ status: 'refused', result: '拒绝回访' });
    expect(r.body.case.state).toBe('回访');
    const [citizen] = await t.services.database.db.select().from(citizens).where(eq(citizens.id, s.citizenId));
    expect(citizen.doNotCall).toBe(true);
    const queue = await t.http().get('/api/surveys/callbacks').set('Authorization', `Bearer ${tok.supervisor}`);
    expect(queue.body.items.find((i: any) => i.id === s.id)).toMatchObject({
      reason: 'refused',
      citizen: { doNotCall: true },
    });

    citizenPhone('1');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T10:00'))).toBe('noop');
    const noReason = await transition(t, tok.supervisor, c.id, { action: 'close' });
    expect(noReason.body.error.code).toBe('survey_required');
    const closed = await transition(t, tok.supervisor, c.id, {
      action: 'close',
      note: '市民拒绝回访，经核实已处置完毕',
    });
    expect(closed.body.case.state).toBe('结案');

    // Next time this citizen reports, nobody calls: the survey goes straight to the agents.
    const next = await caseInSurvey(t, tok, { phone: '13900000081' });
    await scheduleSurveys(t.services, next.id, at('2026-11-27T10:00'));
    expect((await surveysOf(t, next.id))[0]).toMatchObject({
      channel: 'manual',
      status: 'exhausted',
      lastOutcome: 'do_not_call',
    });
    expect(await events(next.id, 'survey_exhausted')).toHaveLength(1);
    expect(seen).toHaveLength(0);
  });

  it('a case closed by a supervisor meanwhile cancels the survey instead of calling', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000091' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    await transition(t, tok.supervisor, c.id, { action: 'close', note: '市民来电表示已解决' });
    citizenPhone('1');
    expect(await runSurveyAttempt(t.services, (await surveysOf(t, c.id))[0].id, at('2026-11-26T10:00'))).toBe(
      'cancelled',
    );
    expect(seen).toHaveLength(0);
  });
});

describe('idempotence and faults', () => {
  it('never calls twice for one disposal when the job runs twice at once', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000101' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [s] = await surveysOf(t, c.id);
    citizenPhone('1');
    const results = await Promise.all([
      runSurveyAttempt(t.services, s.id, at('2026-11-26T10:00')),
      runSurveyAttempt(t.services, s.id, at('2026-11-26T10:00')),
    ]);
    expect(results.sort()).toEqual(['answered', 'noop']);
    expect(seen).toHaveLength(1);
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T10:00'))).toBe('noop');
    expect(seen).toHaveLength(1);
    expect(await events(c.id, 'close')).toHaveLength(1);
  });

  it('counts an unreachable PBX as a failed attempt, so a PBX that stays down brings the survey to a person', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000111' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [s] = await surveysOf(t, c.id);
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const down = createPbx({
      kind: 'freeswitch',
      host: '127.0.0.1',
      port,
      password: 'ClueCon',
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    const real = t.services.surveyCaller;
    t.services.surveyCaller = pbxSurveyCaller(down, { callerId: '12319', connectTimeoutMs: 200 });
    try {
      expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T10:00'))).toBe('retry');
      expect((await surveysOf(t, c.id))[0]).toMatchObject({
        status: 'scheduled',
        attempts: 1,
        lastOutcome: 'pbx_error',
      });
    } finally {
      t.services.surveyCaller = real;
      await down.stop();
    }
  });

  it('takes a survey left "calling" by a worker that died as a failed attempt, after a while', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13900000121' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [s] = await surveysOf(t, c.id);
    await t.services.database.db
      .update(surveys)
      .set({ status: 'calling', attempts: 1, nextAttemptAt: at('2026-11-26T10:00') })
      .where(eq(surveys.id, s.id));
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T10:05'))).toBe('noop');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T10:20'))).toBe('retry');
    expect((await surveysOf(t, c.id))[0]).toMatchObject({
      status: 'scheduled',
      lastOutcome: 'interrupted',
      nextAttemptAt: at('2026-11-26T14:00'),
    });
  });
});
