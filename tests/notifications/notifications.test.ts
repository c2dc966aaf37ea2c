import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, key, transition } from '../helpers/factories.js';
import { startFakeWechat, type FakeWechat } from '../fakes/wechat/server.js';
import { notifications, reports, subscriptionGrants } from '../../server/db/schema.js';
import { intakeReport } from '../../server/cases/intake.js';
import { notifyCitizen, dedupeKeys, runNotifyJob, type NotifyJob } from '../../server/notifications/send.js';
import { notifyOnOpened, notifyOnTransition, registeredNotice } from '../../server/notifications/reactions.js';
import { recordGrants, templateKindOf } from '../../server/notifications/grants.js';
import { registerChatSender } from '../../server/notifications/chatSender.js';
import { parseSurveyAnswer } from '../../server/chatbot/intents.js';
import { surveysOnTransition } from '../../server/surveys/reactions.js';
import { scheduleSurveys } from '../../server/surveys/schedule.js';
import { runSurveyAttempt } from '../../server/surveys/attempt.js';
import { answerSurvey } from '../../server/surveys/answer.js';
import { pendingSurveyFor } from '../../server/surveys/queries.js';
import { at, caseRow, disposeAndCheck, drain, spot, surveysOf, tokens, type Tokens } from '../surveys/helpers.js';

/** Mid-morning on a working day: inside calling hours. */
const NOW = at('2026-11-26T10:00');

let fake: FakeWechat;
let t: TestContext;
let tok: Tokens;

beforeAll(async () => {
  fake = await startFakeWechat();
  t = await createTestContext({
    env: {
      WECHAT_APPID: fake.appid,
      WECHAT_SECRET: fake.secret,
      WECHAT_API_BASE: fake.url,
      WECHAT_TEMPLATE_REGISTERED: 'tpl-registered',
      WECHAT_TEMPLATE_DISPATCHED: 'tpl-dispatched',
      WECHAT_TEMPLATE_RESOLVED: 'tpl-resolved',
      WECHAT_TEMPLATE_SURVEY: 'tpl-survey',
    },
  });
  tok = await tokens(t);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

/** Runs the reactions to case changes now due, as the workers in server/wiring.ts would. */
async function fanOut() {
  await drain(t, 'case-opened', (d) => notifyOnOpened(t.services, d));
  await drain(t, 'case-transitioned', async (d) => {
    await surveysOnTransition(t.services, d);
    await notifyOnTransition(t.services, d);
  });
  await drain(t, 'open-survey-round', (d) => scheduleSurveys(t.services, d.caseId, NOW));
}

/** Every follow-up job now due, notifications included. */
async function runJobs() {
  for (let round = 0; round < 3; round++) {
    await fanOut();
    await drain(t, 'notify-citizen', (d) => notifyCitizen(t.services, d, NOW));
  }
}

async function report(
  citizen: { openid?: string; chatContactId?: string },
  channel: 'miniprogram' | 'wechat' = 'miniprogram',
) {
  const r = await intakeReport(t.services, {
    channel,
    idempotencyKey: key(),
    text: '东湖路人行道上井盖缺失，很危险',
    categoryCode: '100114',
    location: spot(),
    address: '东湖路18号',
    citizen,
  });
  return { caseId: r.case.id, caseNo: r.case.caseNo, citizenId: r.report.citizenId! };
}

const rowsFor = (caseId: string) =>
  t.services.database.db.select().from(notifications).where(eq(notifications.caseId, caseId)).orderBy(notifications.id);
const sentTo = (openid: string) => fake.sent.filter((m) => m.touser === openid);

describe('the jobs an intake queues', () => {
  const jobsFor = async (caseId: string) => {
    const { rows } = await t.services.database.executor.executeSql(
      `select name, data from pgboss.job where data->>'caseId' = $1 order by created_on, id`,
      [caseId],
    );
    return rows.map((r) => ({
      name: String(r.name),
      data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as NotifyJob,
    }));
  };
  const file = (openid: string | null, location: { lat: number; lng: number }) =>
    intakeReport(t.services, {
      channel: openid ? 'miniprogram' : 'agent',
      idempotencyKey: key(),
      text: '东湖路人行道上井盖缺失，很危险',
      categoryCode: '100114',
      location,
      ...(openid ? { citizen: { openid } } : {}),
    });

  it('is the citizen’s 受理 notice, in the intake’s transaction, for the case a duplicate joined too; none without a citizen', async () => {
    const here = spot();
    const first = await file('o_mp_jobs', here);
    const citizenId = first.report.citizenId!;
    expect(await jobsFor(first.case.id)).toEqual([
      { name: 'notify-citizen', data: registeredNotice(first.case.id, citizenId) },
    ]);
    // A second citizen's report of the same spot joins the case and hears of that case's number.
    const dup = await file('o_mp_jobs_dup', here);
    expect(dup.duplicate).toBe(true);
    expect(dup.case.id).toBe(first.case.id);
    expect((await jobsFor(first.case.id)).map((j) => [j.name, j.data.citizenId])).toEqual([
      ['notify-citizen', citizenId],
      ['notify-citizen', dup.report.citizenId],
    ]);
    // A staff report with no citizen queues nothing (no case-opened either: that queue is retired).
    const anonymous = await file(null, spot());
    expect(anonymous.duplicate).toBe(false);
    expect(await jobsFor(anonymous.case.id)).toEqual([]);
  });
});

describe('mini-program citizens: subscribe messages', () => {
  it('hears of 受理, 派遣, 核查通过 and the waiting survey, one grant each, and never twice', async () => {
    const c = await report({ openid: 'o_mp_wang' });
    await recordGrants(t.services, c.citizenId, ['registered', 'dispatched', 'resolved', 'survey']);
    await runJobs();
    expect(sentTo('o_mp_wang').map((m) => m.template_id)).toEqual(['tpl-registered']);
    const first = sentTo('o_mp_wang')[0];
    expect(first.page).toBe(`pages/detail/index?no=${c.caseNo}`);
    expect(first.data.character_string1.value).toBe(c.caseNo);
    expect(first.data.phrase4.value).toBe('已受理');

    expect((await transition(t, tok.supervisor, c.caseId, { action: 'dispatch' })).status).toBe(200);
    await runJobs();
    expect(sentTo('o_mp_wang').at(-1)).toMatchObject({
      template_id: 'tpl-dispatched',
      data: { phrase4: { value: '已派遣' }, thing6: { value: '已派遣至市政设施管理处' } },
    });

    await disposeAndCheck(t, tok, c.caseId);
    await runJobs();
    expect(sentTo('o_mp_wang').at(-1)).toMatchObject({
      template_id: 'tpl-resolved',
      data: { thing6: { value: '已更换井盖并加固' } },
    });

    // The survey of a mini-program user is asked in the mini-program, pushed by the survey template.
    const [survey] = await surveysOf(t, c.caseId);
    expect(survey).toMatchObject({ channel: 'miniprogram', status: 'scheduled' });
    expect(await runSurveyAttempt(t.services, survey.id, NOW)).toBe('waiting');
    await runJobs();
    expect(sentTo('o_mp_wang').map((m) => m.template_id)).toEqual([
      'tpl-registered',
      'tpl-dispatched',
      'tpl-resolved',
      'tpl-survey',
    ]);

    // Every job run again: nothing is sent twice.
    const jobs: NotifyJob[] = [
      {
        kind: 'registered',
        caseId: c.caseId,
        citizenId: c.citizenId,
        dedupeKey: dedupeKeys.registered(c.caseId, c.citizenId),
      },
      {
        kind: 'dispatched',
        caseId: c.caseId,
        citizenId: c.citizenId,
        dedupeKey: dedupeKeys.dispatched(c.caseId, c.citizenId),
      },
      {
        kind: 'resolved',
        caseId: c.caseId,
        citizenId: c.citizenId,
        dedupeKey: dedupeKeys.resolved(c.caseId, c.citizenId, 0),
      },
      {
        kind: 'survey',
        caseId: c.caseId,
        citizenId: c.citizenId,
        surveyId: survey.id,
        dedupeKey: dedupeKeys.survey(survey.id, 'miniprogram'),
      },
    ];
    for (const job of jobs) expect(await notifyCitizen(t.services, job, NOW)).toEqual({ status: 'duplicate' });
    await notifyOnOpened(t.services, {
      caseId: c.caseId,
      reportId: (
        await t.services.database.db.select({ id: reports.id }).from(reports).where(eq(reports.caseId, c.caseId))
      )[0]!.id,
      duplicate: false,
    });
    await runJobs();
    expect(sentTo('o_mp_wang')).toHaveLength(4);
    expect((await rowsFor(c.caseId)).map((r) => [r.kind, r.channel, r.status])).toEqual([
      ['registered', 'subscribe', 'sent'],
      ['dispatched', 'subscribe', 'sent'],
      ['resolved', 'subscribe', 'sent'],
      ['survey', 'subscribe', 'sent'],
    ]);
    const grants = await t.services.database.db
      .select()
      .from(subscriptionGrants)
      .where(eq(subscriptionGrants.citizenId, c.citizenId));
    expect(grants.every((g) => g.usedAt)).toBe(true);

    // The citizen answers in the mini-program (the route calls answerSurvey).
    expect(await pendingSurveyFor(t.services, c.citizenId)).toMatchObject([
      { surveyId: survey.id, caseNo: c.caseNo, channel: 'miniprogram', status: 'waiting' },
    ]);
    const out = await answerSurvey(t.services, {
      caseNo: c.caseNo,
      citizenId: c.citizenId,
      result: '满意',
      via: 'miniprogram',
    });
    expect(out.effect).toBe('closed');
    expect((await caseRow(t, c.caseId)).state).toBe('结案');
    expect(await pendingSurveyFor(t.services, c.citizenId)).toEqual([]);
    // A retried POST with the same answer is answered the same; another citizen cannot answer it.
    expect(
      (await answerSurvey(t.services, { caseNo: c.caseNo, citizenId: c.citizenId, result: '满意', via: 'miniprogram' }))
        .effect,
    ).toBe('already_answered');
    await expect(
      answerSurvey(t.services, {
        surveyId: survey.id,
        citizenId: '00000000-0000-4000-8000-000000000000',
        result: '满意',
        via: 'miniprogram',
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('without a grant sends nothing; a refusal (43101) spends the grant and is final', async () => {
    const c = await report({ openid: 'o_mp_li' });
    await runJobs();
    expect(await rowsFor(c.caseId)).toMatchObject([
      { kind: 'registered', channel: 'none', status: 'skipped', detail: 'no registered grant' },
    ]);

    await recordGrants(t.services, c.citizenId, ['dispatched']);
    fake.refuseSubscription('o_mp_li');
    await transition(t, tok.supervisor, c.caseId, { action: 'dispatch' });
    await runJobs();
    const [, refused] = await rowsFor(c.caseId);
    expect(refused).toMatchObject({ kind: 'dispatched', channel: 'subscribe', status: 'refused' });
    expect(refused.detail).toMatch(/43101/);
    const [grant] = await t.services.database.db
      .select()
      .from(subscriptionGrants)
      .where(eq(subscriptionGrants.citizenId, c.citizenId));
    expect(grant.usedAt).not.toBeNull();
    const attempts = () =>
      fake.requests.filter((r) => r.path === '/cgi-bin/message/subscribe/send' && r.body?.touser === 'o_mp_li').length;
    expect(attempts()).toBe(1);
    const job: NotifyJob = {
      kind: 'dispatched',
      caseId: c.caseId,
      citizenId: c.citizenId,
      dedupeKey: dedupeKeys.dispatched(c.caseId, c.citizenId),
    };
    expect(await notifyCitizen(t.services, job, NOW)).toEqual({ status: 'duplicate' });
    expect(attempts()).toBe(1);
  });

  it('leaves a rate-limited send to the job’s retry, the grant unspent, and sends once on the retry', async () => {
    const c = await report({ openid: 'o_mp_zhao' });
    await recordGrants(t.services, c.citizenId, ['registered']);
    const job: NotifyJob = {
      kind: 'registered',
      caseId: c.caseId,
      citizenId: c.citizenId,
      dedupeKey: dedupeKeys.registered(c.caseId, c.citizenId),
    };
    fake.setRateLimited('subscribe');
    await expect(notifyCitizen(t.services, job, NOW)).rejects.toMatchObject({ code: 'rate_limited', retryable: true });
    expect(await rowsFor(c.caseId)).toMatchObject([{ status: 'failed', channel: 'subscribe' }]);
    const grants = () =>
      t.services.database.db.select().from(subscriptionGrants).where(eq(subscriptionGrants.citizenId, c.citizenId));
    expect((await grants())[0].usedAt).toBeNull();

    fake.setRateLimited('subscribe', false);
    expect(await notifyCitizen(t.services, job, NOW)).toMatchObject({ status: 'sent', channel: 'subscribe' });
    expect((await grants())[0].usedAt).not.toBeNull();
    await runJobs();
    expect(sentTo('o_mp_zhao')).toHaveLength(1);
    expect(await rowsFor(c.caseId)).toMatchObject([{ status: 'sent', detail: null }]);
  });

  it('does not send what another run is sending; the job retries and takes over a claim left by a dead run', async () => {
    const c = await report({ openid: 'o_mp_qian' });
    await recordGrants(t.services, c.citizenId, ['registered']);
    const job: NotifyJob = {
      kind: 'registered',
      caseId: c.caseId,
      citizenId: c.citizenId,
      dedupeKey: dedupeKeys.registered(c.caseId, c.citizenId),
    };
    const claimedAt = new Date();
    await t.services.database.db.insert(notifications).values({
      dedupeKey: job.dedupeKey,
      caseId: c.caseId,
      citizenId: c.citizenId,
      kind: 'registered',
      channel: 'subscribe',
      status: 'failed',
      detail: `sending:${claimedAt.toISOString()}`,
    });
    await expect(runNotifyJob(t.services, job)).rejects.toThrow(/being sent by another run/);
    expect(sentTo('o_mp_qian')).toHaveLength(0);
    const later = new Date(claimedAt.getTime() + 3 * 60_000);
    expect(await notifyCitizen(t.services, job, later)).toMatchObject({ status: 'sent' });
    expect(sentTo('o_mp_qian')).toHaveLength(1);
    await runJobs();
    expect(sentTo('o_mp_qian')).toHaveLength(1);
  });

  it('still sends after WeChat revokes the access token', async () => {
    const a = await report({ openid: 'o_mp_sun' });
    const b = await report({ openid: 'o_mp_sun' });
    await recordGrants(t.services, a.citizenId, ['registered', 'registered']);
    const tokensBefore = fake.tokenRequests;
    expect(
      await notifyCitizen(
        t.services,
        {
          kind: 'registered',
          caseId: a.caseId,
          citizenId: a.citizenId,
          dedupeKey: dedupeKeys.registered(a.caseId, a.citizenId),
        },
        NOW,
      ),
    ).toMatchObject({ status: 'sent' });
    fake.expireTokens();
    expect(
      await notifyCitizen(
        t.services,
        {
          kind: 'registered',
          caseId: b.caseId,
          citizenId: b.citizenId,
          dedupeKey: dedupeKeys.registered(b.caseId, b.citizenId),
        },
        NOW,
      ),
    ).toMatchObject({ status: 'sent' });
    expect(sentTo('o_mp_sun').map((m) => m.data.character_string1.value)).toEqual([a.caseNo, b.caseNo]);
    // One refresh after the revocation (two when this test runs alone and also fetched the first token).
    expect(fake.tokenRequests - tokensBefore).toBeGreaterThanOrEqual(1);
    expect(fake.tokenRequests - tokensBefore).toBeLessThanOrEqual(2);
    await runJobs();
  });

  it('waits for a mini-program answer, then hands an unanswered survey to agents; the citizen may still answer', async () => {
    const c = await report({ openid: 'o_mp_zhou' });
    await disposeAndCheck(t, tok, c.caseId);
    await runJobs();
    const [s] = await surveysOf(t, c.caseId);
    expect(await runSurveyAttempt(t.services, s.id, NOW)).toBe('waiting');
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-27T10:00'))).toBe('noop');
    // 48 h later, nobody answered and there is no phone or chat to fall back to.
    expect(await runSurveyAttempt(t.services, s.id, at('2026-11-28T10:00'))).toBe('exhausted');
    expect((await surveysOf(t, c.caseId))[0]).toMatchObject({ status: 'exhausted', lastOutcome: 'no_reply' });
    const queue = await t.http().get('/api/surveys/callbacks').set('Authorization', `Bearer ${tok.agent}`);
    expect(queue.body.items.some((i: any) => i.id === s.id && i.reason === 'exhausted')).toBe(true);
    expect(await pendingSurveyFor(t.services, c.citizenId)).toHaveLength(1);
    expect(
      (
        await answerSurvey(t.services, {
          caseNo: c.caseNo,
          citizenId: c.citizenId,
          result: '基本满意',
          via: 'miniprogram',
        })
      ).effect,
    ).toBe('closed');
  });
});

describe('chat citizens: messages through the chat bot', () => {
  it('are told in chat while the bot is up, skipped while it is not, and answer the survey by replying', async () => {
    const said: Array<{ to: string; text: string }> = [];
    let failNext = false;
    const bot = {
      async send(to: string, text: string) {
        if (failNext) {
          failNext = false;
          throw new Error('puppet disconnected');
        }
        said.push({ to, text });
      },
    };
    const unregister = registerChatSender(t.services, bot);
    const c = await report({ chatContactId: 'wxid_zhang' }, 'wechat');
    await runJobs();
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ to: 'wxid_zhang' });
    expect(said[0].text).toContain(c.caseNo);
    expect(said[0].text).toContain('已受理');

    unregister();
    expect(t.services.chatSender).toBeNull();
    await transition(t, tok.supervisor, c.caseId, { action: 'dispatch' });
    await runJobs();
    expect(said).toHaveLength(1);
    expect((await rowsFor(c.caseId)).at(-1)).toMatchObject({
      kind: 'dispatched',
      status: 'skipped',
      detail: 'chat bot not running',
    });

    const stop = registerChatSender(t.services, bot);
    await disposeAndCheck(t, tok, c.caseId);
    await fanOut();
    // The bot fails once: the job fails (pg-boss retries it), and the retry sends it once.
    failNext = true;
    await expect(drain(t, 'notify-citizen', (d) => notifyCitizen(t.services, d, NOW))).rejects.toThrow(
      /puppet disconnected/,
    );
    expect((await rowsFor(c.caseId)).at(-1)).toMatchObject({
      kind: 'resolved',
      channel: 'chat',
      status: 'failed',
      detail: 'puppet disconnected',
    });
    const resolved: NotifyJob = {
      kind: 'resolved',
      caseId: c.caseId,
      citizenId: c.citizenId,
      dedupeKey: dedupeKeys.resolved(c.caseId, c.citizenId, 0),
    };
    expect(await notifyCitizen(t.services, resolved, NOW)).toMatchObject({ status: 'sent', channel: 'chat' });
    expect(await notifyCitizen(t.services, resolved, NOW)).toEqual({ status: 'duplicate' });
    expect(said.at(-1)!.text).toMatch(/已处置完毕：已更换井盖并加固。/);

    const [s] = await surveysOf(t, c.caseId);
    expect(s.channel).toBe('chat');
    expect(await runSurveyAttempt(t.services, s.id, NOW)).toBe('waiting');
    await runJobs();
    expect(said.at(-1)!.text).toContain('回复 1 满意，2 基本满意，3 不满意');
    expect(said.filter((m) => m.text.includes('请对处理结果进行评价'))).toHaveLength(1);

    const { result, comment } = parseSurveyAnswer('3 还有积水没清理')!;
    const [pending] = await pendingSurveyFor(t.services, c.citizenId);
    const out = await answerSurvey(t.services, {
      surveyId: pending.surveyId,
      citizenId: c.citizenId,
      result,
      comment,
      via: 'chat',
    });
    expect(out.effect).toBe('reworked');
    expect(out.case).toMatchObject({ state: '处置中', reworkCount: 1 });
    stop();
  });
});

describe('citizens we cannot reach in WeChat', () => {
  it('records the notification as skipped, with no channel', async () => {
    const c = await fileReport(t, tok.agent, { location: spot(), phone: '13900000201' });
    await runJobs();
    const rows = await rowsFor(c.id);
    expect(rows).toMatchObject([
      { kind: 'registered', channel: 'none', status: 'skipped', detail: 'sms not configured' },
    ]);
  });

  it('maps accepted template ids to kinds for POST /api/citizen/subscriptions', async () => {
    expect(templateKindOf(t.config, 'tpl-survey')).toBe('survey');
    expect(templateKindOf(t.config, 'tpl-other')).toBeNull();
    expect(templateKindOf(t.config, '')).toBeNull();
    const c = await report({ openid: 'o_mp_grants' });
    expect(await recordGrants(t.services, c.citizenId, ['survey', 'bogus' as any])).toBe(1);
    const rows = await t.services.database.db
      .select()
      .from(subscriptionGrants)
      .where(and(eq(subscriptionGrants.citizenId, c.citizenId), inArray(subscriptionGrants.templateKind, ['survey'])));
    expect(rows).toHaveLength(1);
    await runJobs();
  });
});
