import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { places } from '../helpers/factories.js';
import { jpeg } from '../helpers/images.js';
import {
  categories,
  cases,
  chatConversations,
  chatMessages,
  citizens,
  reports,
  surveys,
  uploads,
} from '../../server/db/schema.js';
import { dedupeKeys, notifyCitizen } from '../../server/notifications/send.js';
import { recordGrants } from '../../server/notifications/grants.js';
import { startChat, type ChatRuntime } from '../../server/chatbot/runtime.js';
import { fromStored } from '../../server/geo/datum.js';
import { startFakeWechat, type FakeWechat } from '../fakes/wechat/server.js';
import { newAesKey, signedPush, urlCheck, wechatEncrypt, type PushAccount } from '../fakes/wechat/push.js';
import { nextMsgId, PushCitizen } from './pushHarness.js';
import { chatSurveyWaiting } from './surveyed.js';

let t: TestContext;
let fake: FakeWechat;
let chat: ChatRuntime;
let agent: string;
let supervisor: string;

const OA_APPID = 'wxoa0000000000001';
const oa: PushAccount & { path: string; channel: 'oa' } = {
  path: '/wechat/official-account',
  channel: 'oa',
  username: 'gh_0a0a0a0a0a0a',
  appid: OA_APPID,
  token: 'oaToken2026',
  aesKey: newAesKey(),
};
let mp: PushAccount & { path: string; channel: 'mp' };

const CASE_NO = /案件号：(\d{13})/;
const caseNoIn = (replies: string[]) => replies.join('\n').match(CASE_NO)?.[1];
const caseByNo = async (caseNo: string) =>
  (await t.services.database.db.select().from(cases).where(eq(cases.caseNo, caseNo)))[0];
const citizenOn = (account: typeof oa | typeof mp) => new PushCitizen(t, fake, chat, account);

beforeAll(async () => {
  fake = await startFakeWechat({ apps: [{ appid: OA_APPID, secret: 'oa-secret-for-tests' }] });
  // The mini-program's push in plain mode and JSON, as its console allows.
  mp = {
    path: '/wechat/mini-program',
    channel: 'mp',
    username: 'gh_m1m1m1m1m1m1',
    appid: fake.appid,
    token: 'mpPushToken',
    format: 'json',
  };
  t = await createTestContext({
    env: {
      WECHAT_API_BASE: fake.url,
      WECHAT_APPID: fake.appid,
      WECHAT_SECRET: fake.secret,
      WECHAT_PUSH_TOKEN: mp.token,
      WECHAT_OA_TOKEN: oa.token,
      WECHAT_OA_AES_KEY: oa.aesKey!,
      WECHAT_OA_APPID: OA_APPID,
      WECHAT_OA_SECRET: 'oa-secret-for-tests',
      WECHAT_TEMPLATE_DISPATCHED: 'tmpl-dispatched',
    },
  });
  chat = (await startChat(t.services))!;
  agent = await t.login('agent');
  supervisor = await t.login('supervisor');
});
afterAll(async () => {
  await chat?.stop();
  await t?.close();
  await fake?.close();
});

describe('the server URL', () => {
  it('answers WeChat’s URL check with the echostr, and refuses a bad signature', async () => {
    const ok = await t.http().get(oa.path).query(urlCheck(oa, '5837397749320211049'));
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('5837397749320211049');
    const forged = await t
      .http()
      .get(oa.path)
      .query({ ...urlCheck(oa, '1'), signature: 'f'.repeat(40) });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('bad_signature');
    expect((await t.http().get(mp.path).query(urlCheck(mp, 'abc'))).text).toBe('abc');
  });

  it('refuses a forged push, a tampered Encrypt and a body for another app, and stores none of them', async () => {
    const mallory = citizenOn(oa);
    const fields = mallory.fields('text', { Content: '伪造的消息' });
    const push = signedPush(oa, fields);
    const send = (query: Record<string, string>, body = push.body) =>
      t.http().post(oa.path).query(query).set('Content-Type', 'text/xml').send(body);

    expect((await send({ ...push.query, signature: '0'.repeat(40) })).status).toBe(401);
    expect((await send({ ...push.query, msg_signature: '0'.repeat(40) })).status).toBe(401);
    // Encrypted for another appid, and signed correctly: the appid inside gives it away.
    const other = signedPush({ ...oa, appid: 'wxsomeoneelse0001' }, fields);
    const refused = await t.http().post(oa.path).query(other.query).set('Content-Type', 'text/xml').send(other.body);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('bad_signature');

    const stored = await t.services.database.db
      .select()
      .from(chatMessages)
      .where(eq(chatMessages.contactId, mallory.contactId));
    expect(stored).toEqual([]);
    expect(mallory.heard).toEqual([]);
  });
});

describe('a report through the official account (safe mode)', () => {
  it('greets a new follower, takes text, a location (GCJ-02), a photo and 1, and answers with the case number', async () => {
    const db = t.services.database.db;
    await db.update(categories).set({ photoRequired: true }).where(eq(categories.code, '200504'));
    t.services.invalidate('categories');
    const zhang = citizenOn(oa);

    expect(await zhang.event('subscribe')).toEqual([expect.stringContaining('您好，这里是城市管理服务')]);
    expect(await zhang.say('有家店把货都摆到店门外了，人都走不过去')).toEqual([
      '好的，您反映的是【店外经营】问题。请问具体在哪里？可以发送微信位置，或者告诉我们路名、门牌号、小区名。',
    ]);
    // WeChat sends the map pick in GCJ-02; the service stores WGS-84.
    const gcj = fromStored(places.wangJiang, 'gcj02');
    expect(Math.abs(gcj.lng - places.wangJiang.lng)).toBeGreaterThan(0.003);
    expect(await zhang.sendLocation(gcj, '望江路88号')).toEqual([
      '【店外经营】问题需要一张现场照片，方便工作人员核实。请拍一张照片发过来。',
    ]);
    expect(await zhang.sendImage(await jpeg())).toEqual([
      '您反映的是【店外经营】问题，地点：望江路88号附近，确认提交请回复1，修改请回复2',
    ]);
    const done = await zhang.say('1');
    expect(done).toEqual([expect.stringMatching(/^提交成功！案件号：\d{13}。/)]);

    const kase = await caseByNo(caseNoIn(done)!);
    expect(kase).toMatchObject({ channel: 'wechat', categoryCode: '200504', state: '立案' });
    expect(kase.lat).toBeCloseTo(places.wangJiang.lat, 6);
    expect(kase.lng).toBeCloseTo(places.wangJiang.lng, 6);
    const [report] = await db.select().from(reports).where(eq(reports.caseId, kase.id));
    expect(report.photos).toHaveLength(1);
    // The photo came from media/get into our file store, and is served like any upload.
    expect(fake.requests.some((r) => r.path === '/cgi-bin/media/get')).toBe(true);
    const photo = await t.http().get(`/files/${report.photos[0]}`).set('Authorization', `Bearer ${agent}`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');

    // Each reply went out as a customer-service text to the follower's openid, with the official account's token.
    const sends = fake.requests.filter((r) => r.path === '/cgi-bin/message/custom/send');
    expect(sends.at(-1)!.body).toEqual({ touser: zhang.openid, msgtype: 'text', text: { content: done[0] } });
  });

  it('answers a status query and 我的上报 for the follower’s own case', async () => {
    const chen = citizenOn(oa);
    await chen.say('文昌阁小区3号楼下面的路灯坏了');
    const caseNo = caseNoIn(await chen.say('1'))!;
    expect(await chen.say(`查询 ${caseNo}`)).toEqual([
      expect.stringMatching(new RegExp(`^案件 ${caseNo}（路灯）：已立案，正在安排处理部门。`)),
    ]);
    expect(await citizenOn(oa).say(`查询 ${caseNo}`)).toEqual([
      `没有查到您上报的案件 ${caseNo}，请核对案件号。这里只能查询您本人上报的案件。`,
    ]);
  });

  it('reads a voice message by WeChat’s transcript, and keeps one without for an agent', async () => {
    const db = t.services.database.db;
    const li = citizenOn(oa);
    expect(await li.sendVoice('望江小区门口的垃圾桶满了好几天没人清理')).toEqual([
      '您反映的是【垃圾箱】问题，地点：望江小区门口，确认提交请回复1，修改请回复2',
    ]);
    expect(await li.sendVoice(null)).toEqual(['暂时听不了语音，请用文字描述问题，也可以发送照片和位置。']);
    const [voice] = await db
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.contactId, li.contactId), eq(chatMessages.kind, 'voice')));
    const uploadId = (voice.payload as { uploadId: string }).uploadId;
    const [audio] = await db.select().from(uploads).where(eq(uploads.id, uploadId));
    expect(audio.mime).toBe('audio/amr');
    const file = await t.http().get(`/files/${uploadId}`).set('Authorization', `Bearer ${agent}`);
    expect(file.status).toBe(200);
  });

  it('answers a push WeChat retries (even at once) exactly once', async () => {
    const db = t.services.database.db;
    const wu = citizenOn(oa);
    const fields = wu.fields('text', { Content: '我的上报' }, nextMsgId());
    fake.userWrote(wu.openid);
    const first = await Promise.all([wu.post(fields), wu.post(fields), wu.post(fields)]);
    expect(first.map((r) => [r.status, r.text])).toEqual([
      [200, 'success'],
      [200, 'success'],
      [200, 'success'],
    ]);
    await chat.engine.idle();
    await expect.poll(() => wu.heard).toEqual(['您还没有通过微信上报过问题。']);
    // WeChat's fourth try, after the answer went out.
    expect((await wu.post(fields)).text).toBe('success');
    await chat.engine.idle();
    expect(wu.heard).toEqual(['您还没有通过微信上报过问题。']);
    const stored = await db
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.contactId, wu.contactId), eq(chatMessages.direction, 'in')));
    expect(stored).toHaveLength(1);
  });
});

describe('handover to an agent', () => {
  it('sends the agent’s words as customer-service messages, hands back, and stops at WeChat’s five', async () => {
    const qian = citizenOn(oa);
    await qian.say('学院路有个窨井盖松动了');
    expect(await qian.say('人工')).toEqual(['正在为您转接人工客服，请稍候，工作人员会在这里回复您。']);
    const queue = await t.http().get('/api/chat/conversations?handover=true').set('Authorization', `Bearer ${agent}`);
    expect(queue.body.items.some((c: any) => c.contactId === qian.contactId)).toBe(true);

    const reply = (text: string) =>
      t
        .http()
        .post(`/api/chat/conversations/${encodeURIComponent(qian.contactId)}/reply`)
        .set('Authorization', `Bearer ${agent}`)
        .send({ text });
    const first = await reply('您好，我是坐席李娜，已记录。');
    expect(first.status).toBe(201);
    expect(first.body.delivered).toBe(true);
    expect(qian.heard.at(-1)).toBe('您好，我是坐席李娜，已记录。');

    // Since 人工: the handover notice and four of the agent's = WeChat's five. The sixth is not attempted.
    for (const text of ['请问具体是哪个位置？', '我们会派人去看。', '大约一小时内到。']) {
      expect((await reply(text)).body.delivered).toBe(true);
    }
    const refusedBefore = fake.refusedCustomerMessages.length;
    const sixth = await reply('在吗？');
    expect(sixth.body.delivered).toBe(false);
    const messages = await t
      .http()
      .get(`/api/chat/conversations/${encodeURIComponent(qian.contactId)}/messages`)
      .set('Authorization', `Bearer ${agent}`);
    expect(messages.body.items.at(-1)).toMatchObject({ text: '在吗？', undelivered: 'reply_window_closed' });
    expect(fake.refusedCustomerMessages.length).toBe(refusedBefore);
    expect(qian.heard.at(-1)).toBe('大约一小时内到。');

    // The citizen writes again (the bot keeps quiet with an agent): a new window, and the agent hands back.
    expect(await qian.say('好的，井盖就在学院路口')).toEqual([]);
    const released = await t
      .http()
      .post(`/api/chat/conversations/${encodeURIComponent(qian.contactId)}/release`)
      .set('Authorization', `Bearer ${agent}`);
    expect(released.body).toMatchObject({ conversation: { handover: false }, delivered: true });
    expect(qian.heard.slice(-2)).toEqual([
      '人工服务已结束，感谢您的耐心。如需继续反映问题，直接发消息给我们即可。',
      '您反映的是【不明井盖】问题，地点：学院路附近，确认提交请回复1，修改请回复2',
    ]);
    expect(await qian.say('1')).toEqual([expect.stringMatching(/^提交成功！案件号：\d{13}/)]);
  });
});

describe('the mini-program’s chat (JSON, plain mode)', () => {
  it('takes a report, asks the 回访 in chat and understands an answer in words', async () => {
    const db = t.services.database.db;
    const zhou = citizenOn(mp);
    expect(await zhou.event('user_enter_tempsession')).toEqual([expect.stringContaining('您好，这里是城市管理服务')]);
    await zhou.say('望江公园门口的垃圾箱坏了，盖子掉了');
    const kase = await caseByNo(caseNoIn(await zhou.say('1'))!);
    // The chat contact is the mini-program user: one citizen, with the openid.
    const [reporter] = await db.select().from(citizens).where(eq(citizens.id, kase.reporterId!));
    expect(reporter).toMatchObject({ openid: zhou.openid, chatContactId: zhou.contactId });
    const survey = await chatSurveyWaiting(t, supervisor, kase, '已更换垃圾箱');
    const sent = await notifyCitizen(t.services, {
      kind: 'survey',
      caseId: kase.id,
      citizenId: kase.reporterId!,
      surveyId: survey.id,
      dedupeKey: dedupeKeys.survey(survey.id, 'chat'),
    });
    expect(sent).toMatchObject({ status: 'sent', channel: 'chat' });
    expect(zhou.heard.at(-1)).toContain(`案件 ${kase.caseNo}`);

    expect(await zhou.say('非常满意，处理得很快')).toEqual(['感谢您的评价！我们会继续努力。']);
    const [answered] = await db.select().from(surveys).where(eq(surveys.id, survey.id));
    expect(answered).toMatchObject({ status: 'answered', result: '满意', answeredBy: 'chat' });
    expect(await caseByNo(kase.caseNo)).toMatchObject({ state: '结案', surveyResult: '满意' });
  });

  it('does not attempt a notice outside the 48-hour window, and falls back to a subscribe message', async () => {
    const db = t.services.database.db;
    const sun = citizenOn(mp);
    await sun.say('东湖路春晖超市门口有人乱停车把路堵了');
    const kase = await caseByNo(caseNoIn(await sun.say('1'))!);
    const notice = (key: string) =>
      notifyCitizen(t.services, { kind: 'dispatched', caseId: kase.id, citizenId: kase.reporterId!, dedupeKey: key });

    // Two days later, with no word from the citizen since.
    const twoDaysAgo = new Date(Date.now() - 49 * 3_600_000);
    await db
      .update(chatConversations)
      .set({ replyUntil: new Date(twoDaysAgo.getTime() + 48 * 3_600_000) })
      .where(eq(chatConversations.contactId, sun.contactId));
    fake.ageWindow(sun.openid, 49);
    const sendsBefore = fake.requests.filter((r) => r.path === '/cgi-bin/message/custom/send').length;
    expect(await notice('dispatched-late-1')).toMatchObject({
      status: 'skipped',
      detail: expect.stringContaining('chat window closed'),
    });
    expect(fake.requests.filter((r) => r.path === '/cgi-bin/message/custom/send')).toHaveLength(sendsBefore);

    // With the citizen's consent to the template, the same notice goes as a subscribe message.
    await recordGrants(t.services, kase.reporterId!, ['dispatched']);
    expect(await notice('dispatched-late-2')).toMatchObject({ status: 'sent', channel: 'subscribe' });
    expect(fake.sent.at(-1)).toMatchObject({ touser: sun.openid, template_id: 'tmpl-dispatched' });
  });
});

describe('safe mode details', () => {
  it('decrypts what WeChat encrypts for the account, and an encrypted URL check', async () => {
    const encrypted = wechatEncrypt(oa.aesKey!, OA_APPID, 'echo-7');
    const q = urlCheck(oa, encrypted);
    const { createHash } = await import('node:crypto');
    const msgSignature = createHash('sha1')
      .update([oa.token, q.timestamp, q.nonce, encrypted].sort().join(''))
      .digest('hex');
    const res = await t
      .http()
      .get(oa.path)
      .query({ ...q, msg_signature: msgSignature });
    expect(res.text).toBe('echo-7');
  });
});
