import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { types } from 'wechaty';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { places, transition } from '../helpers/factories.js';
import { jpeg } from '../helpers/images.js';
import {
  categories,
  cases,
  chatConversations,
  chatMessages,
  citizens,
  reports,
  surveys,
} from '../../server/db/schema.js';
import { notifyCitizen, dedupeKeys } from '../../server/notifications/send.js';
import { startBot, type Citizen, type Harness } from './harness.js';
import { chatSurveyWaiting } from './surveyed.js';

let t: TestContext;
let h: Harness;
let agent: string;
let supervisor: string;

const CASE_NO = /案件号：(\d{13})/;
const caseNoIn = (replies: string[]) => replies.join('\n').match(CASE_NO)?.[1];

async function caseByNo(caseNo: string) {
  const [c] = await t.services.database.db.select().from(cases).where(eq(cases.caseNo, caseNo));
  return c;
}

beforeAll(async () => {
  t = await createTestContext();
  h = await startBot(t);
  agent = await t.login('agent');
  supervisor = await t.login('supervisor');
});
afterAll(async () => {
  await h?.stop();
  await t?.close();
});

describe('reporting in chat', () => {
  it('takes a report over several messages: text, a location, a photo the category needs, then 1', async () => {
    await t.services.database.db.update(categories).set({ photoRequired: true }).where(eq(categories.code, '200504'));
    t.services.invalidate('categories');
    const zhang = h.citizen('张先生');

    expect(await zhang.say('你好')).toEqual([expect.stringContaining('您好，这里是城市管理服务')]);
    expect(await zhang.say('有家店把货都摆到店门外了，人都走不过去')).toEqual([
      '好的，您反映的是【店外经营】问题。请问具体在哪里？可以发送微信位置，或者告诉我们路名、门牌号、小区名。',
    ]);
    expect(await zhang.sendLocation(places.wangJiang, '望江路88号', '示范区望江路88号')).toEqual([
      '【店外经营】问题需要一张现场照片，方便工作人员核实。请拍一张照片发过来。',
    ]);
    expect(await zhang.sendImage(await jpeg())).toEqual([
      '您反映的是【店外经营】问题，地点：望江路88号附近，确认提交请回复1，修改请回复2',
    ]);

    const done = await zhang.say('1');
    expect(done[0]).toMatch(/^提交成功！案件号：\d{13}。/);
    const kase = await caseByNo(caseNoIn(done)!);
    expect(kase).toMatchObject({ channel: 'wechat', categoryCode: '200504', state: '立案', needsReview: false });
    expect(kase.lat).toBeCloseTo(places.wangJiang.lat, 6);
    const [report] = await t.services.database.db.select().from(reports).where(eq(reports.caseId, kase.id));
    expect(report.photos).toHaveLength(1);
    expect(report.text).toBe('有家店把货都摆到店门外了，人都走不过去');
    const [citizen] = await t.services.database.db.select().from(citizens).where(eq(citizens.id, kase.reporterId!));
    expect(citizen).toMatchObject({ chatContactId: zhang.id, name: '张先生' });

    // The photo was stored like a mini-program upload and can be fetched by staff.
    const photo = await t.http().get(`/files/${report.photos[0]}`).set('Authorization', `Bearer ${agent}`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
  });

  it('takes a report given whole in one message, the address inside the text', async () => {
    const li = h.citizen('李女士');
    expect(await li.say('望江小区门口的垃圾桶满了好几天没人清理')).toEqual([
      '您反映的是【垃圾箱】问题，地点：望江小区门口，确认提交请回复1，修改请回复2',
    ]);
    const kase = await caseByNo(caseNoIn(await li.say('确认'))!);
    expect(kase).toMatchObject({ categoryCode: '100305', address: '望江小区门口', channel: 'wechat' });
    const detail = await t.http().get(`/api/cases/${kase.id}`).set('Authorization', `Bearer ${agent}`);
    expect(detail.body.case.area.communityName).toBe('望江社区');
    // The case page shows the conversation the report came from.
    expect(detail.body.messages.map((m: any) => m.text)).toContain('望江小区门口的垃圾桶满了好几天没人清理');
    expect(detail.body.messages[0].direction).toBe('市民');
  });

  it('looks a typed address up in the gazetteer, proposes it with its community, and files its point and grid', async () => {
    const sun = h.citizen('孙先生');
    expect(await sun.say('有人在路边占道摆摊卖菜')).toEqual([
      '好的，您反映的是【无照经营游商】问题。请问具体在哪里？可以发送微信位置，或者告诉我们路名、门牌号、小区名。',
    ]);
    expect(await sun.say('東湖路３１號')).toEqual([
      '您说的是东湖路31号（湖畔社区）吗？回复1确认；不是的话，请发送正确的地址或微信位置。',
    ]);
    expect(await sun.say('1')).toEqual([
      '您反映的是【无照经营游商】问题，地点：东湖路31号附近，确认提交请回复1，修改请回复2',
    ]);
    const kase = await caseByNo(caseNoIn(await sun.say('1'))!);
    const [top] = (await t.http().get('/api/geo/search').query({ q: '东湖路31号' })).body.items;
    expect(kase).toMatchObject({ address: '东湖路31号', lat: top.lat, lng: top.lng, gridId: top.grid.id });
  });

  it('applies corrections: another place ("不对，是在学院路"), then 2 and a new description', async () => {
    const wang = h.citizen('王师傅');
    expect(await wang.say('东湖路18号门口有人占道摆摊卖水果')).toEqual([
      '您反映的是【无照经营游商】问题，地点：东湖路18号门口，确认提交请回复1，修改请回复2',
    ]);
    expect(await wang.say('不对，是在学院路')).toEqual([
      '您反映的是【无照经营游商】问题，地点：学院路附近，确认提交请回复1，修改请回复2',
    ]);
    expect(await wang.say('2')).toEqual(['请问要改哪里？直接发送正确的地点（也可以发送位置），或者重新描述问题。']);
    // 店外经营 needs a photo in this city (set in the first test): the bot asks for one before confirming again.
    expect(await wang.say('是旁边的店家把货摆到门外了')).toEqual([
      '【店外经营】问题需要一张现场照片，方便工作人员核实。请拍一张照片发过来。',
    ]);
    expect(await wang.say('1')).toEqual([
      '【店外经营】问题需要现场照片才能受理，请拍一张发过来；不方便拍照的话，可以回复「人工」由工作人员帮您处理。',
    ]);
    expect(await wang.sendImage(await jpeg({ color: '#335577' }))).toEqual([
      '您反映的是【店外经营】问题，地点：学院路附近，确认提交请回复1，修改请回复2',
    ]);
    const kase = await caseByNo(caseNoIn(await wang.say('1'))!);
    expect(kase).toMatchObject({ categoryCode: '200504', address: '学院路' });
    const detail = await t.http().get(`/api/cases/${kase.id}`).set('Authorization', `Bearer ${agent}`);
    expect(detail.body.case.area.streetName).toBe('西城街道');
    expect(detail.body.case.description).toContain('不对，是在学院路');
  });

  it('asks for the place again when the address is not in the city, and takes a location instead', async () => {
    const zhao = h.citizen('赵阿姨');
    expect(await zhao.say('幸福路88号的路灯坏了，晚上黑漆漆的')).toEqual([
      '没能在本区找到「幸福路88号」。请发送微信位置，或者写上附近的路名、小区名（如：东湖路、望江小区）。需要人工帮助请回复「人工」。',
    ]);
    expect(await zhao.sendLocation(places.outside, '外地某处')).toEqual([
      '这个位置不在本区的服务范围内。请发送问题所在的位置，或者告诉我们路名、小区名。',
    ]);
    expect(await zhao.say('就在文昌阁小区门口')).toEqual([
      '您说的是文昌阁小区门口（文昌社区）吗？回复1确认；不是的话，请发送正确的地址或微信位置。',
    ]);
    expect(await zhao.say('1')).toEqual(['您反映的是【路灯】问题，地点：文昌阁小区门口，确认提交请回复1，修改请回复2']);
    expect(await zhao.say('取消')).toEqual(['好的，已取消本次上报。有需要随时发消息给我们。']);
    const [row] = await t.services.database.db
      .select()
      .from(chatConversations)
      .where(eq(chatConversations.contactId, zhao.id));
    expect(row).toMatchObject({ state: 'idle', draft: { report: null, survey: null } });
  });

  it('never makes a second case when a confirmation is handled again (crash after intake, before the turn was saved)', async () => {
    const db = t.services.database.db;
    const sun = h.citizen('孙先生');
    await sun.say('东湖路春晖超市门口有人乱停车把路堵了');
    const [before] = await db.select().from(chatConversations).where(eq(chatConversations.contactId, sun.id));
    expect(before.state).toBe('confirming');
    const first = caseNoIn(await sun.say('1'))!;

    // As if the process had died after intake committed: the conversation still confirming, the "1" unhandled.
    const [confirmation] = await db
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.contactId, sun.id), eq(chatMessages.direction, 'in'), eq(chatMessages.text, '1')));
    await db
      .update(chatConversations)
      .set({ state: before.state, draft: before.draft })
      .where(eq(chatConversations.contactId, sun.id));
    await db.update(chatMessages).set({ handledAt: null }).where(eq(chatMessages.id, confirmation.id));
    const heardBefore = sun.heard.length;
    await h.bot.engine.resume();
    expect(caseNoIn(sun.heard.slice(heardBefore))).toBe(first);
    const { reporterId } = await caseByNo(first);
    const all = await db.select().from(cases).where(eq(cases.reporterId, reporterId!));
    expect(all).toHaveLength(1);
  });
});

describe('queries', () => {
  let chen: Citizen;
  let caseNo: string;
  beforeAll(async () => {
    chen = h.citizen('陈女士');
    await chen.say('文昌阁小区3号楼下面的路灯坏了');
    caseNo = caseNoIn(await chen.say('1'))!;
  });

  it('answers "查询 <案件号>" with the status of the citizen’s own case', async () => {
    expect(await chen.say(`查询 ${caseNo}`)).toEqual([
      expect.stringMatching(
        new RegExp(`^案件 ${caseNo}（路灯）：已立案，正在安排处理部门。受理时间：\\d{4}年\\d{1,2}月\\d{1,2}日。$`),
      ),
    ]);
    expect(await chen.say('我的上报')).toEqual([
      `您最近上报的问题：\n1. ${caseNo} 路灯：已立案，正在安排处理部门\n查询详情请回复「查询」加案件号。`,
    ]);
  });

  it('never tells one citizen about another citizen’s case', async () => {
    const stranger = h.citizen('路人');
    const replies = await stranger.say(`查询${caseNo}`);
    expect(replies).toEqual([`没有查到您上报的案件 ${caseNo}，请核对案件号。这里只能查询您本人上报的案件。`]);
    expect(await stranger.say('我的上报')).toEqual(['您还没有通过微信上报过问题。']);
  });
});

describe('surveys in chat', () => {
  it('asks the survey through the bot and understands an answer in words', async () => {
    const db = t.services.database.db;
    const zhou = h.citizen('周大爷');
    await zhou.say('望江公园门口的垃圾箱坏了，盖子掉了');
    const kase = await caseByNo(caseNoIn(await zhou.say('1'))!);
    const survey = await chatSurveyWaiting(t, supervisor, kase, '已更换垃圾箱');

    // The survey job's notification goes out through the bot (the ChatSender port).
    const heard = zhou.heard.length;
    const sent = await notifyCitizen(t.services, {
      kind: 'survey',
      caseId: kase.id,
      citizenId: kase.reporterId!,
      surveyId: survey.id,
      dedupeKey: dedupeKeys.survey(survey.id, 'chat'),
    });
    expect(sent).toMatchObject({ status: 'sent', channel: 'chat' });
    expect(zhou.heard.slice(heard)).toEqual([expect.stringContaining(`案件 ${kase.caseNo}`)]);

    expect(await zhou.say('非常满意，处理得很快')).toEqual(['感谢您的评价！我们会继续努力。']);
    const [answered] = await db.select().from(surveys).where(eq(surveys.id, survey.id));
    expect(answered).toMatchObject({
      status: 'answered',
      result: '满意',
      answeredBy: 'chat',
      comment: '非常满意，处理得很快',
    });
    expect(await caseByNo(kase.caseNo)).toMatchObject({ state: '结案', surveyResult: '满意' });
    // With the survey answered, a bare digit is no verdict: it is read as the start of a new report.
    expect(await zhou.say('3')).toEqual(['还没能判断是什么问题，请再具体描述一下：什么东西坏了，或者看到了什么情况？']);
    expect(await zhou.say('取消')).toEqual(['好的，已取消本次上报。有需要随时发消息给我们。']);
  });

  it('reads 没解决 as 不满意: the case goes back for rework', async () => {
    const db = t.services.database.db;
    const wu = h.citizen('吴女士');
    await wu.say('湖畔花园门口的垃圾箱满了');
    const kase = await caseByNo(caseNoIn(await wu.say('1'))!);
    for (const step of [
      { action: 'dispatch' },
      { action: 'accept' },
      { action: 'resolve', note: '已清运' },
      { action: 'check_pass' },
    ]) {
      await transition(t, supervisor, kase.id, step);
    }
    await db.insert(surveys).values({
      caseId: kase.id,
      citizenId: kase.reporterId!,
      round: 0,
      channel: 'chat',
      status: 'waiting',
      attempts: 1,
    });
    // No question sent in chat yet: the bot puts it when the citizen next writes.
    expect(await wu.say('你好')).toEqual([
      expect.stringContaining('您好，这里是城市管理服务'),
      expect.stringContaining(`（案件号 ${kase.caseNo}）已经处理完毕`),
    ]);
    expect(await wu.say('嗯')).toEqual(['请回复数字：1 满意，2 基本满意，3 不满意。']);
    expect(await wu.say('还是没解决')).toEqual([
      '很抱歉处理结果没有让您满意，我们会安排重新处理。如需补充说明，请直接留言。',
    ]);
    expect(await caseByNo(kase.caseNo)).toMatchObject({ state: '处置中', reworkCount: 1 });
  });
});

describe('handover to an agent', () => {
  it('puts the conversation in the console queue, sends the agent’s replies through the bot, and hands back', async () => {
    const qian = h.citizen('钱先生');
    await qian.say('学院路有个窨井盖松动了');
    expect(await qian.say('人工')).toEqual(['正在为您转接人工客服，请稍候，工作人员会在这里回复您。']);

    const queue = await t.http().get('/api/chat/conversations?handover=true').set('Authorization', `Bearer ${agent}`);
    expect(queue.status).toBe(200);
    const mine = queue.body.items.find((c: any) => c.contactId === qian.id);
    expect(mine).toMatchObject({ handover: true, state: 'confirming', citizen: { name: '钱先生' } });
    expect(queue.body.items.every((c: any) => c.handover)).toBe(true);
    const everyone = await t.http().get('/api/chat/conversations').set('Authorization', `Bearer ${agent}`);
    expect(everyone.body.items.some((c: any) => !c.handover)).toBe(true);
    expect(mine.lastMessage).toMatchObject({
      direction: 'out',
      text: '正在为您转接人工客服，请稍候，工作人员会在这里回复您。',
    });

    // With an agent, the bot keeps quiet.
    expect(await qian.say('井盖一踩就晃，很危险')).toEqual([]);
    const messages = await t
      .http()
      .get(`/api/chat/conversations/${qian.id}/messages`)
      .set('Authorization', `Bearer ${agent}`);
    expect(messages.body.items.map((m: any) => [m.direction, m.text]).slice(-3)).toEqual([
      ['in', '人工'],
      ['out', '正在为您转接人工客服，请稍候，工作人员会在这里回复您。'],
      ['in', '井盖一踩就晃，很危险'],
    ]);

    const heard = qian.heard.length;
    const reply = await t
      .http()
      .post(`/api/chat/conversations/${qian.id}/reply`)
      .set('Authorization', `Bearer ${agent}`)
      .send({ text: '您好，我是坐席李娜，已记录，马上安排人员去看。' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      delivered: true,
      message: { direction: 'out', text: '您好，我是坐席李娜，已记录，马上安排人员去看。' },
    });
    expect(qian.heard.slice(heard)).toEqual(['您好，我是坐席李娜，已记录，马上安排人员去看。']);

    const released = await t
      .http()
      .post(`/api/chat/conversations/${qian.id}/release`)
      .set('Authorization', `Bearer ${agent}`);
    expect(released.status).toBe(200);
    expect(released.body.conversation).toMatchObject({ handover: false });
    expect(qian.heard.slice(heard + 1)).toEqual([
      '人工服务已结束，感谢您的耐心。如需继续反映问题，直接发消息给我们即可。',
      '您反映的是【不明井盖】问题，地点：学院路附近，确认提交请回复1，修改请回复2',
    ]);
    expect(caseNoIn(await qian.say('1'))).toMatch(/^\d{13}$/);
  });

  it('lets only agents and supervisors at the queue, and validates the reply', async () => {
    const szss = await t.login('szss');
    expect((await t.http().get('/api/chat/conversations').set('Authorization', `Bearer ${szss}`)).status).toBe(403);
    expect((await t.http().get('/api/chat/conversations')).status).toBe(401);
    const empty = await t
      .http()
      .post('/api/chat/conversations/nobody/reply')
      .set('Authorization', `Bearer ${supervisor}`)
      .send({ text: ' ' });
    expect(empty.status).toBe(400);
    const unknown = await t
      .http()
      .post('/api/chat/conversations/nobody/reply')
      .set('Authorization', `Bearer ${supervisor}`)
      .send({ text: '在吗' });
    expect(unknown.status).toBe(404);
  });
});

describe('what the bot cannot read', () => {
  it('answers stickers, voice, files and links with a short pointer to text, photos and location', async () => {
    const feng = h.citizen('冯同学');
    expect(await feng.raw(types.Message.Emoticon)).toEqual([
      '收到您的表情😊 如需反映问题，请用文字描述问题，也可以发送照片和位置。',
    ]);
    expect(await feng.raw(types.Message.Audio)).toEqual(['暂时听不了语音，请用文字描述问题，也可以发送照片和位置。']);
    expect(await feng.raw(types.Message.Attachment)).toEqual([
      '暂时无法处理文件，请用文字描述问题，也可以发送照片和位置。',
    ]);
    expect(await feng.raw(types.Message.Url)).toEqual(['暂时无法处理链接，请用文字描述问题，也可以发送照片和位置。']);
    const stored = await t.services.database.db
      .select({ kind: chatMessages.kind })
      .from(chatMessages)
      .where(and(eq(chatMessages.contactId, feng.id), eq(chatMessages.direction, 'in')));
    expect(stored.map((s) => s.kind)).toEqual(['sticker', 'voice', 'file', 'link']);
  });
});

describe('two citizens at once', () => {
  it('keeps each conversation to itself', async () => {
    const a = h.citizen('甲');
    const b = h.citizen('乙');
    const [ra, rb] = await Promise.all([
      a.say('春晖苑门口有人摆摊卖菜，把路都堵住了'),
      b.say('解放新村5栋楼下的路灯不亮了'),
    ]);
    expect(ra).toEqual(['您反映的是【无照经营游商】问题，地点：春晖苑门口，确认提交请回复1，修改请回复2']);
    expect(rb).toEqual(['您反映的是【路灯】问题，地点：解放新村5栋楼下，确认提交请回复1，修改请回复2']);
    const [ca, cb] = await Promise.all([a.say('1'), b.say('1')]);
    const [ka, kb] = [await caseByNo(caseNoIn(ca)!), await caseByNo(caseNoIn(cb)!)];
    expect(ka.id).not.toBe(kb.id);
    expect(ka).toMatchObject({ categoryCode: '200501', address: '春晖苑门口' });
    expect(kb).toMatchObject({ categoryCode: '100118', address: '解放新村5栋楼下' });
    expect(a.heard.join('\n')).not.toMatch(/解放|路灯|乙/);
    expect(b.heard.join('\n')).not.toMatch(/春晖|摆摊|甲/);
    expect(ka.reporterId).not.toBe(kb.reporterId);
  });
});
