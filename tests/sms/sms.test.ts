import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, transition } from '../helpers/factories.js';
import { startFakeSms, type FakeSms } from '../fakes/sms/server.js';
import { surveyCode } from '../../server/surveys/shortLink.js';
import { citizens, notifications, smsReplies } from '../../server/db/schema.js';
import { notifyCitizen, runNotifyJob, type NotifyJob } from '../../server/notifications/send.js';
import { notifyOnOpened, notifyOnTransition } from '../../server/notifications/reactions.js';
import { surveysOnTransition } from '../../server/surveys/reactions.js';
import { scheduleSurveys } from '../../server/surveys/schedule.js';
import { runSurveyAttempt } from '../../server/surveys/attempt.js';
import { aliyunSignature } from '../../server/sms/aliyun.js';
import { isOptOut } from '../../server/sms/replies.js';
import { at, caseRow, disposeAndCheck, drain, spot, surveysOf, tokens, type Tokens } from '../surveys/helpers.js';

/** Mid-morning on a working day: inside calling hours. */
const NOW = at('2026-11-26T10:00');
const CALLBACK_TOKEN = 'sms-callback-token-0123456789';
const TEMPLATES = {
  SMS_TEMPLATE_REGISTERED: 'SMS_100001',
  SMS_TEMPLATE_DISPATCHED: 'SMS_100002',
  SMS_TEMPLATE_RESOLVED: 'SMS_100003',
  SMS_TEMPLATE_SURVEY: 'SMS_100004',
};

async function smsContext(provider: 'aliyun' | 'tencent', fake: FakeSms, secret = fake.keySecret) {
  return createTestContext({
    env: {
      SMS_PROVIDER: provider,
      SMS_BASE_URL: fake.url,
      SMS_ACCESS_KEY_ID: fake.keyId,
      SMS_ACCESS_KEY_SECRET: secret,
      SMS_SIGN_NAME: '城管热线',
      SMS_SDK_APP_ID: fake.sdkAppId,
      SMS_CALLBACK_TOKEN: CALLBACK_TOKEN,
      ...TEMPLATES,
    },
  });
}

/** Every follow-up job now due, as the workers in server/wiring.ts would run them. */
async function runJobs(t: TestContext) {
  for (let round = 0; round < 3; round++) {
    await drain(t, 'case-opened', (d) => notifyOnOpened(t.services, d));
    await drain(t, 'case-transitioned', async (d) => {
      await surveysOnTransition(t.services, d);
      await notifyOnTransition(t.services, d);
    });
    await drain(t, 'open-survey-round', (d) => scheduleSurveys(t.services, d.caseId, NOW));
    await drain(t, 'notify-citizen', (d) => notifyCitizen(t.services, d, NOW));
  }
}

const notificationsOf = (t: TestContext, caseId: string) =>
  t.services.database.db.select().from(notifications).where(eq(notifications.caseId, caseId)).orderBy(notifications.id);

/** A reply pushed to our callback in the provider's documented shape. */
function pushReply(t: TestContext, provider: 'aliyun' | 'tencent', phone: string, text: string, seq: number) {
  const body =
    provider === 'aliyun'
      ? [
          {
            phone_number: phone,
            send_time: '2026-11-26 10:05:00',
            content: text,
            sign_name: '城管热线',
            dest_code: '1234',
            sequence_id: seq,
          },
        ]
      : { extend: '', mobile: phone, nationcode: '86', sign: '城管热线', text, time: 1795000000 + seq };
  return t.http().post(`/api/sms/replies/${provider}/${CALLBACK_TOKEN}`).send(body);
}

describe('Aliyun RPC signature', () => {
  it('reproduces the SendSms example of the signature documentation', () => {
    // help.aliyun.com, 短信服务 签名机制 (dysmsapi 2017-05-25): the worked example with testId / testSecret.
    const signature = aliyunSignature(
      'GET',
      {
        AccessKeyId: 'testId',
        Action: 'SendSms',
        Format: 'XML',
        OutId: '123',
        PhoneNumbers: '15300000001',
        RegionId: 'cn-hangzhou',
        SignName: '阿里云短信测试专用',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
        SignatureVersion: '1.0',
        TemplateCode: 'SMS_71390007',
        TemplateParam: '{"customer":"test"}',
        Timestamp: '2017-07-12T02:42:19Z',
        Version: '2017-05-25',
      },
      'testSecret',
    );
    expect(signature).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('knows 回复TD and its variants, and nothing else, as an opt-out', () => {
    expect(['TD', 'td', 'T', '退订', ' TD。', 'ＴＤ'].every(isOptOut)).toBe(true);
    expect(['1', 'TD1', '不要退订', '3 没修好'].some(isOptOut)).toBe(false);
  });
});

for (const provider of ['aliyun', 'tencent'] as const) {
  describe(`SMS by ${provider}: a phone citizen hears of 受理, 派遣, 处置 and answers the survey by reply`, () => {
    let fake: FakeSms;
    let t: TestContext;
    let tok: Tokens;
    const caseNoParam = (m: { params: Record<string, string> }) =>
      provider === 'aliyun' ? m.params.caseNo : m.params['1'];

    beforeAll(async () => {
      // Every template carries the case number; the survey's also the short link's code.
      const vars = (id: string) =>
        provider === 'aliyun'
          ? ['caseNo', ...(id === TEMPLATES.SMS_TEMPLATE_SURVEY ? ['code'] : [])]
          : ['1', ...(id === TEMPLATES.SMS_TEMPLATE_SURVEY ? ['2'] : [])];
      fake = await startFakeSms(provider, Object.fromEntries(Object.values(TEMPLATES).map((id) => [id, vars(id)])));
      t = await smsContext(provider, fake);
      tok = await tokens(t);
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('sends the case number at each step, the survey by SMS, and a reply of 1 closes the case', async () => {
      const phone = '13800138001';
      const c = await fileReport(t, tok.agent, { location: spot(), phone });
      await runJobs(t);
      expect(fake.sent.map((m) => [m.phone, m.templateId, caseNoParam(m)])).toEqual([
        [phone, TEMPLATES.SMS_TEMPLATE_REGISTERED, c.caseNo],
      ]);
      expect(fake.sent[0].signName).toBe('城管热线');

      await disposeAndCheck(t, tok, c.id);
      await runJobs(t);
      // 派遣 and 处置 were both done before the jobs ran: their notices may go in either order.
      expect(fake.sent.map((m) => m.templateId).sort()).toEqual([
        TEMPLATES.SMS_TEMPLATE_REGISTERED,
        TEMPLATES.SMS_TEMPLATE_DISPATCHED,
        TEMPLATES.SMS_TEMPLATE_RESOLVED,
      ]);

      // No PBX here: the hotline citizen's survey goes by SMS, not to the manual queue.
      const [survey] = await surveysOf(t, c.id);
      expect(survey).toMatchObject({ channel: 'sms', status: 'scheduled' });
      expect(await runSurveyAttempt(t.services, survey.id, NOW)).toBe('waiting');
      await runJobs(t);
      expect(fake.sent.at(-1)).toMatchObject({ phone, templateId: TEMPLATES.SMS_TEMPLATE_SURVEY });
      expect(caseNoParam(fake.sent.at(-1)!)).toBe(c.caseNo);
      const code = fake.sent.at(-1)!.params[provider === 'aliyun' ? 'code' : '2'];
      expect(code).toBe(surveyCode(t.config.SESSION_SECRET, survey.id));
      expect((await notificationsOf(t, c.id)).map((n) => `${n.kind} ${n.channel} ${n.status}`).sort()).toEqual([
        'dispatched sms sent',
        'registered sms sent',
        'resolved sms sent',
        'survey sms sent',
      ]);

      const res = await pushReply(t, provider, phone, '1 井盖已经换好了', 1);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(provider === 'aliyun' ? { code: 0, msg: '成功' } : { result: 0, errmsg: 'OK' });
      const kase = await caseRow(t, c.id);
      expect(kase).toMatchObject({ state: '结案', surveyResult: '满意' });
      const [answered] = await surveysOf(t, c.id);
      expect(answered).toMatchObject({
        status: 'answered',
        result: '满意',
        comment: '井盖已经换好了',
        answeredBy: 'sms',
      });

      // The provider pushing the same reply again changes nothing.
      expect((await pushReply(t, provider, phone, '1 井盖已经换好了', 1)).status).toBe(200);
      const replies = await t.services.database.db.select().from(smsReplies);
      expect(replies.map((r) => r.effect)).toEqual(['answered']);
    });

    it('回复TD: the citizen is opted out, stored, and hears nothing more by SMS', async () => {
      const phone = '13800138002';
      const c = await fileReport(t, tok.agent, { location: spot(), phone });
      await runJobs(t);
      const before = fake.sent.length;
      expect(fake.sent.at(-1)).toMatchObject({ phone, templateId: TEMPLATES.SMS_TEMPLATE_REGISTERED });

      expect((await pushReply(t, provider, phone, 'TD', 2)).status).toBe(200);
      const [citizen] = await t.services.database.db
        .select()
        .from(citizens)
        .where(eq(citizens.phoneHash, t.services.phones.hash(phone)));
      expect(citizen.smsOptOutAt).toBeInstanceOf(Date);

      expect((await transition(t, tok.supervisor, c.id, { action: 'dispatch' })).status).toBe(200);
      await runJobs(t);
      expect(fake.sent.length).toBe(before);
      const rows = await notificationsOf(t, c.id);
      expect(rows.at(-1)).toMatchObject({ kind: 'dispatched', status: 'skipped', detail: 'sms opted out' });
    });

    it('a provider fault is retried by the job; a refusal is final and written down', async () => {
      const phone = '13800138003';
      fake.failNext(provider === 'aliyun' ? 'isp.SYSTEM_ERROR' : 'InternalError.Timeout');
      await fileReport(t, tok.agent, { location: spot(), phone });
      await drain(t, 'case-opened', (d) => notifyOnOpened(t.services, d));
      const jobs: NotifyJob[] = [];
      await drain(t, 'notify-citizen', async (d) => void jobs.push(d));
      expect(jobs).toHaveLength(1);
      await expect(runNotifyJob(t.services, jobs[0])).rejects.toThrow(/SYSTEM_ERROR|InternalError/);
      expect(await runNotifyJob(t.services, jobs[0])).toMatchObject({ status: 'sent', channel: 'sms' });
      expect(fake.sent.at(-1)).toMatchObject({ phone });

      fake.failNext(
        provider === 'aliyun' ? 'isv.AMOUNT_NOT_ENOUGH' : 'FailedOperation.InsufficientBalanceInSmsPackage',
      );
      const other = await fileReport(t, tok.agent, { location: spot(), phone: '13800138004' });
      await drain(t, 'case-opened', (d) => notifyOnOpened(t.services, d));
      await drain(t, 'notify-citizen', (d) => runNotifyJob(t.services, d));
      const [row] = await notificationsOf(t, other.id);
      expect(row).toMatchObject({ channel: 'sms', status: 'failed' });
      expect(row.detail).toMatch(/AMOUNT_NOT_ENOUGH|InsufficientBalance/);
    });

    it('refuses a reply push with a wrong token (404) or a body not in the provider shape (400)', async () => {
      const wrong = await t.http().post(`/api/sms/replies/${provider}/not-the-token-at-all-xx`).send([]);
      expect(wrong.status).toBe(404);
      expect(wrong.body.error.code).toBe('not_found');
      const other = provider === 'aliyun' ? 'tencent' : 'aliyun';
      expect((await t.http().post(`/api/sms/replies/${other}/${CALLBACK_TOKEN}`).send({})).status).toBe(404);
      const bad = await t.http().post(`/api/sms/replies/${provider}/${CALLBACK_TOKEN}`).send({ hello: 1 });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
    });
  });
}

describe('a wrong key pair', () => {
  for (const provider of ['aliyun', 'tencent'] as const) {
    it(`is refused by the ${provider} fake's signature check, and the notice is not retried forever`, async () => {
      const fake = await startFakeSms(provider, {
        [TEMPLATES.SMS_TEMPLATE_REGISTERED]: provider === 'aliyun' ? ['caseNo'] : ['1'],
      });
      const t = await smsContext(provider, fake, 'not-the-secret');
      try {
        const c = await fileReport(t, await t.login('agent'), { location: spot(), phone: '13800138009' });
        await drain(t, 'case-opened', (d) => notifyOnOpened(t.services, d));
        await drain(t, 'notify-citizen', (d) => runNotifyJob(t.services, d));
        expect(fake.sent).toHaveLength(0);
        expect(fake.refused).toEqual([
          provider === 'aliyun' ? 'SignatureDoesNotMatch' : 'AuthFailure.SignatureFailure',
        ]);
        const [row] = await notificationsOf(t, c.id);
        expect(row).toMatchObject({ channel: 'sms', status: 'failed' });
      } finally {
        await t.close();
        await fake.close();
      }
    });
  }
});

describe('SMS off (the default)', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends nothing, says why, and the reply endpoint does not exist', async () => {
    expect(t.services.sms).toBeNull();
    const c = await fileReport(t, await t.login('agent'), { location: spot(), phone: '13800138010' });
    await runJobs(t);
    const [row] = await notificationsOf(t, c.id);
    expect(row).toMatchObject({ channel: 'none', status: 'skipped', detail: 'sms not configured' });
    expect((await t.http().post(`/api/sms/replies/aliyun/${CALLBACK_TOKEN}`).send([])).status).toBe(404);
  });
});
