import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { auditLog } from '../../server/db/schema.js';
import { scheduleSurveys } from '../../server/surveys/schedule.js';
import { at, caseInSurvey, caseRow, surveysOf, tokens, type Tokens } from './helpers.js';

let t: TestContext;
let tok: Tokens;

// No PBX, no WeChat, no SMS: the survey of a hotline citizen cannot be asked by any channel.
beforeAll(async () => {
  t = await createTestContext();
  tok = await tokens(t);
});
afterAll(async () => {
  await t?.close();
});

const as = (token: string) => ({
  get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object = {}) => t.http().post(path).set('Authorization', `Bearer ${token}`).send(body),
});

describe('回访回拨 without a PBX', () => {
  it('says no automatic survey was tried, reveals the number under audit, and counts the calls the agent made', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13800138101' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [s] = await surveysOf(t, c.id);
    expect(s).toMatchObject({ channel: 'manual', status: 'exhausted', attempts: 0, lastOutcome: 'no_channel' });

    // The timeline says what happened: nothing could ask, nobody "did not answer".
    const detail = await as(tok.agent).get(`/api/cases/${c.id}`);
    const moved = detail.body.events.filter((e: { action: string }) => e.action === 'survey_exhausted');
    expect(moved).toHaveLength(1);
    expect(moved[0].actionLabel).toBe('转人工回访');
    expect(moved[0].note).toContain('没有可用的自动回访方式');
    expect(JSON.stringify(detail.body.events)).not.toMatch(/未接通/);

    const queue = await as(tok.agent).get('/api/surveys/callbacks');
    expect(queue.status).toBe(200);
    expect(queue.body.pbx).toBe(false);
    const item = queue.body.items.find((i: { id: string }) => i.id === s.id);
    expect(item).toMatchObject({ reason: 'no_channel', automaticAttempts: 0, callbackAttempts: 0 });
    expect(JSON.stringify(queue.body)).not.toContain('13800138101');

    // The number, for this case's callback only, with who asked written down.
    expect((await as(tok.szss).post(`/api/surveys/${s.id}/reveal`)).status).toBe(403);
    const revealed = await as(tok.agent).post(`/api/surveys/${s.id}/reveal`);
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ phone: '13800138101' });
    expect(revealed.headers['cache-control']).toBe('no-store');
    const audit = await t.services.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'survey.reveal_phone'), eq(auditLog.targetId, c.id)));
    expect(audit).toHaveLength(1);
    const me = await as(tok.agent).get('/api/auth/me');
    expect(audit[0]).toMatchObject({ targetType: 'case', actorId: me.body.user.id });
    expect(audit[0].data).toMatchObject({ surveyId: s.id, citizenId: s.citizenId });

    // No PBX: 拨打 is refused with the reason, and the agent calls on another phone.
    const dial = await as(tok.agent).post(`/api/surveys/${s.id}/callback-call`);
    expect(dial.status).toBe(409);
    expect(dial.body.error.code).toBe('no_pbx');

    // A call on the agent's own phone that reached nobody.
    const bad = await as(tok.agent).post(`/api/surveys/${s.id}/callback-attempts`, { outcome: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const tried = await as(tok.agent).post(`/api/surveys/${s.id}/callback-attempts`, { outcome: 'no_answer' });
    expect(tried.status).toBe(201);
    expect(tried.body).toEqual({ attempts: 1 });
    const after = await as(tok.agent).get('/api/surveys/callbacks');
    expect(after.body.items.find((i: { id: string }) => i.id === s.id)).toMatchObject({
      reason: 'no_channel',
      automaticAttempts: 0,
      callbackAttempts: 1,
    });
    const timeline = (await as(tok.agent).get(`/api/cases/${c.id}`)).body.events;
    expect(timeline.find((e: { action: string }) => e.action === 'callback_attempt')).toMatchObject({
      actionLabel: '人工回拨',
      note: '人工回拨：无人接听',
    });

    // The second call reaches the citizen: the answer closes the case, and the survey takes no more attempts.
    const answered = await as(tok.agent).post(`/api/surveys/${s.id}/answer`, { result: '满意' });
    expect(answered.status).toBe(200);
    expect((await caseRow(t, c.id)).state).toBe('结案');
    const late = await as(tok.agent).post(`/api/surveys/${s.id}/callback-attempts`, { outcome: 'busy' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('survey_closed');
  });
});
