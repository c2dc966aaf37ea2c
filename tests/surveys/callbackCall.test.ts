import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { TestEslServer } from '../../telephony/testing/esl-server.js';
import type { OriginatePlan, OriginateSeen } from '../../telephony/testing/sim-call.js';
import { auditLog, caseEvents } from '../../server/db/schema.js';
import { scheduleSurveys } from '../../server/surveys/schedule.js';
import { runSurveyAttempt } from '../../server/surveys/attempt.js';
import { CALLBACK_CALL_LOST_MS, pendingCallbackCall } from '../../server/surveys/callbackCall.js';
import { at, caseInSurvey, surveysOf, tokens, type Tokens } from './helpers.js';

// 拨打 in 回访回拨 through the FreeSWITCH test server: the agent's extension rings first, then
// the citizen with the hotline number; the attempt is on the case's timeline and counted once.

let esl: TestEslServer;
let t: TestContext;
let tok: Tokens;
let seen: OriginateSeen[] = [];
let plan: (request: OriginateSeen) => OriginatePlan = () => 'answer';

beforeAll(async () => {
  esl = new TestEslServer();
  const port = await esl.listen();
  esl.onOriginate((request) => {
    seen.push(request);
    return plan(request);
  });
  t = await createTestContext({
    env: {
      PBX: 'freeswitch',
      PBX_PORT: String(port),
      PBX_PASSWORD: 'ClueCon',
      HOTLINE_NUMBERS: '12319',
      SURVEY_MAX_ATTEMPTS: '1',
    },
  });
  tok = await tokens(t);
});
afterAll(async () => {
  await t?.services.pbx?.stop();
  await t?.close();
  await esl?.close();
});

const as = (token: string) => ({
  get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object = {}) => t.http().post(path).set('Authorization', `Bearer ${token}`).send(body),
});

/** A hotline case whose automatic survey call rang out: it waits in 回访回拨. */
async function inCallbackQueue(phone: string) {
  const c = await caseInSurvey(t, tok, { phone });
  await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
  const [s] = await surveysOf(t, c.id);
  plan = () => 'no_answer';
  expect(await runSurveyAttempt(t.services, s.id, at('2026-11-26T10:00'))).toBe('exhausted');
  seen = [];
  return { caseId: c.id, surveyId: s.id };
}

const eventsOf = (caseId: string, action: string) =>
  t.services.database.db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, action)));

async function queueItem(surveyId: string) {
  const queue = await as(tok.agent).get('/api/surveys/callbacks');
  expect(queue.body.pbx).toBe(true);
  return queue.body.items.find((i: { id: string }) => i.id === surveyId);
}

describe('POST /api/surveys/:id/callback-call', () => {
  it('rings the agent, then the citizen from the hotline; one attempt, its outcome recorded once', async () => {
    const { caseId, surveyId } = await inCallbackQueue('13800138201');
    plan = () => 'answer';
    const started = await as(tok.agent).post(`/api/surveys/${surveyId}/callback-call`);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ extension: '8001' });
    expect(JSON.stringify(started.body)).not.toContain('13800138201');
    await expect.poll(() => seen.map((s) => s.destination)).toEqual(['8001', '13800138201']);
    expect(seen[1].callerId).toBe('12319');
    expect(esl.commands.some((c) => c.includes('user/8001 &bridge('))).toBe(true);

    // The timeline and the queue say a call is under way; a second click is refused.
    const [call] = await eventsOf(caseId, 'callback_call');
    expect(call.note).toContain('8001');
    expect(await queueItem(surveyId)).toMatchObject({
      callbackAttempts: 1,
      pendingCall: { startedAt: expect.any(String) },
    });
    const again = await as(tok.agent).post(`/api/surveys/${surveyId}/callback-call`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('callback_in_progress');
    const audit = await t.services.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'survey.callback_call'), eq(auditLog.targetId, caseId)));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].data)).not.toContain('13800138201');

    // Nobody picked up: the outcome is this call's, not another attempt.
    const outcome = await as(tok.agent).post(`/api/surveys/${surveyId}/callback-attempts`, { outcome: 'no_answer' });
    expect(outcome.status).toBe(201);
    expect(outcome.body).toEqual({ attempts: 1 });
    const [attempt] = await eventsOf(caseId, 'callback_attempt');
    expect(attempt.note).toBe('系统回拨：无人接听');
    expect(await queueItem(surveyId)).toMatchObject({ callbackAttempts: 1, pendingCall: null });

    // The agent's own phone does not answer: the citizen was never dialled, and it is not counted.
    plan = () => 'no_answer';
    seen = [];
    expect((await as(tok.agent).post(`/api/surveys/${surveyId}/callback-call`)).status).toBe(202);
    await expect.poll(async () => (await eventsOf(caseId, 'callback_call_failed')).length).toBe(1);
    const [failed] = await eventsOf(caseId, 'callback_call_failed');
    expect(failed.note).toContain('未拨打市民电话');
    expect(seen.map((s) => s.destination)).toEqual(['8001']);
    expect(await queueItem(surveyId)).toMatchObject({ callbackAttempts: 1, pendingCall: null });

    // Third time the citizen answers and the agent keys the answer: the case closes.
    plan = () => 'answer';
    expect((await as(tok.agent).post(`/api/surveys/${surveyId}/callback-call`)).status).toBe(202);
    const answered = await as(tok.agent).post(`/api/surveys/${surveyId}/answer`, { result: '满意' });
    expect(answered.status).toBe(200);
    expect(answered.body.case.state).toBe('结案');
    const detail = await as(tok.agent).get(`/api/cases/${caseId}`);
    const labels = detail.body.events.map((e: { actionLabel: string }) => e.actionLabel);
    expect(labels).toEqual(expect.arrayContaining(['系统回拨', '回拨未拨出', '人工回拨']));
  });

  it('is a call that waits for its outcome only for five minutes', async () => {
    const { surveyId } = await inCallbackQueue('13800138202');
    plan = () => 'answer';
    expect((await as(tok.agent).post(`/api/surveys/${surveyId}/callback-call`)).status).toBe(202);
    const db = t.services.database.db;
    expect(await pendingCallbackCall(db, surveyId)).not.toBeNull();
    expect(await pendingCallbackCall(db, surveyId, new Date(Date.now() + CALLBACK_CALL_LOST_MS + 1000))).toBeNull();
  });

  it('refuses what it cannot do, with the reason', async () => {
    const unknown = await as(tok.agent).post('/api/surveys/00000000-0000-4000-8000-000000000000/callback-call');
    expect(unknown.status).toBe(404);

    const { surveyId } = await inCallbackQueue('13800138203');
    expect((await as(tok.szss).post(`/api/surveys/${surveyId}/callback-call`)).status).toBe(403);
    // The supervisor has no extension of their own.
    const noExtension = await as(tok.supervisor).post(`/api/surveys/${surveyId}/callback-call`);
    expect(noExtension.status).toBe(409);
    expect(noExtension.body.error.code).toBe('no_extension');

    // A survey still being asked automatically is not in the callback queue.
    const c = await caseInSurvey(t, tok, { phone: '13800138204' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [scheduled] = await surveysOf(t, c.id);
    const early = await as(tok.agent).post(`/api/surveys/${scheduled.id}/callback-call`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_in_callback_queue');
  });
});
