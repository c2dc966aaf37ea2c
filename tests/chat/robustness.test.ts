import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { types } from 'wechaty';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startFakeWechat, RISKY_WORD, type FakeWechat } from '../fakes/wechat/server.js';
import { chatConversations, chatMessages, cases, citizens } from '../../server/db/schema.js';
import { servicePorts } from '../../server/chatbot/ports.js';
import { startBot, type Harness } from './harness.js';

let t: TestContext;
let fake: FakeWechat;
let agent: string;

beforeAll(async () => {
  fake = await startFakeWechat();
  t = await createTestContext({
    env: { WECHAT_APPID: fake.appid, WECHAT_SECRET: fake.secret, WECHAT_API_BASE: fake.url },
  });
  agent = await t.login('agent');
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const messagesOf = (contactId: string) =>
  t.services.database.db
    .select()
    .from(chatMessages)
    .where(eq(chatMessages.contactId, contactId))
    .orderBy(chatMessages.id);

describe('a restart in the middle of a conversation', () => {
  let first: Harness | null = null;
  let second: Harness | null = null;
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('loses nothing: the new bot continues the draft, answers what arrived while it was down, and sends what was left unsent', async () => {
    first = await startBot(t);
    const before = first.citizen('郑女士');
    expect(await before.say('东湖路18号门口有人占道摆摊卖水果')).toEqual([
      '您反映的是【无照经营游商】问题，地点：东湖路18号门口，确认提交请回复1，修改请回复2',
    ]);
    await first.stop();
    first = null;

    // The bot is down: agents cannot reply through it.
    const refused = await t
      .http()
      .post(`/api/chat/conversations/${before.id}/reply`)
      .set('Authorization', `Bearer ${agent}`)
      .send({ text: '您好' });
    expect(refused.status).toBe(503);

    // A message the puppet handed over as the old process went down: stored, never answered.
    await t.services.database.db.insert(chatMessages).values({
      messageId: 'arrived-while-restarting',
      contactId: before.id,
      direction: 'in',
      kind: 'text',
      text: '不对，是在学院路',
      payload: { name: '郑女士' },
    });

    second = await startBot(t, { login: false });
    const after = second.citizen('郑女士', before.id);
    await second.login();
    expect(after.heard).toEqual(['您反映的是【无照经营游商】问题，地点：学院路附近，确认提交请回复1，修改请回复2']);

    const done = await after.say('1');
    expect(done[0]).toMatch(/^提交成功！案件号：\d{13}/);
    const [kase] = await t.services.database.db
      .select()
      .from(cases)
      .where(eq(cases.caseNo, done[0].match(/\d{13}/)![0]));
    expect(kase).toMatchObject({ categoryCode: '200501', address: '学院路', channel: 'wechat' });
    await second.stop();
    second = null;
  });

  it('sends at start the replies a stopped bot could not send', async () => {
    first = await startBot(t);
    const he = first.citizen('何先生');
    // Logged out between handling and sending: the reply waits in the table.
    first.bot.engine.detach();
    expect(await he.say('我的上报')).toEqual([]);
    const [unsent] = (await messagesOf(he.id)).filter((m) => m.direction === 'out');
    expect(unsent).toMatchObject({ text: '您还没有通过微信上报过问题。', handledAt: null });
    await first.stop();
    first = null;

    second = await startBot(t, { login: false });
    const back = second.citizen('何先生', he.id);
    await second.login();
    expect(back.heard).toEqual(['您还没有通过微信上报过问题。']);
    const [sent] = (await messagesOf(he.id)).filter((m) => m.direction === 'out');
    expect(sent.handledAt).not.toBeNull();
  });
});

describe('delivery and pace', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBot(t, { burstLimit: 3 });
  });
  afterAll(() => h.stop());

  it('handles a redelivered message id once', async () => {
    const lin = h.citizen('林先生');
    const first = await lin.raw(types.Message.Text, { id: 'puppet-msg-42', text: '东湖路18号门口有人占道摆摊卖水果' });
    expect(first).toEqual([expect.stringContaining('【无照经营游商】')]);
    expect(await lin.redeliver('puppet-msg-42')).toEqual([]);
    const rows = await t.services.database.db
      .select()
      .from(chatMessages)
      .where(eq(chatMessages.messageId, 'puppet-msg-42'));
    expect(rows).toHaveLength(1);
  });

  it('answers a burst politely, once, and handles the messages within the limit', async () => {
    const luo = h.citizen('罗先生');
    const heard: string[][] = [];
    for (const text of ['你好', '在吗', '有人吗', '在不在', '喂']) heard.push(await luo.say(text));
    expect(heard.slice(0, 3).every((r) => r.length === 1 && r[0].startsWith('您好，这里是城市管理服务'))).toBe(true);
    expect(heard[3]).toEqual(['您发送得太快了，请稍等一分钟再发。刚才有部分消息没有处理，如有遗漏请稍后再发一次。']);
    expect(heard[4]).toEqual([]);
    // Another citizen is not slowed down by this one.
    expect(await h.citizen('旁人').say('你好')).toHaveLength(1);
  });
});

describe('a failure while handling a message', () => {
  it('answers that it is busy, keeps the draft, and the next 1 goes through', async () => {
    const ports = servicePorts(t.services);
    let failures = 1;
    const h = await startBot(t, {
      ports: {
        ...ports,
        submit: async (...args) => {
          if (failures-- > 0) throw new Error('database went away');
          return ports.submit(...args);
        },
      },
    });
    try {
      const gao = h.citizen('高先生');
      await gao.say('东湖路18号门口有人占道摆摊卖水果');
      expect(await gao.say('1')).toEqual(['抱歉，系统有点忙，刚才这条没能处理，请稍后再发一次；也可以回复「人工」。']);
      const [conversation] = await t.services.database.db
        .select()
        .from(chatConversations)
        .where(eq(chatConversations.contactId, gao.id));
      expect(conversation.state).toBe('confirming');
      expect((await gao.say('1'))[0]).toMatch(/^提交成功！案件号：\d{13}/);
      expect(t.logLines.some((l) => l.includes('chat turn failed'))).toBe(true);
    } finally {
      await h.stop();
    }
  });
});

describe('content security', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBot(t);
  });
  afterAll(() => h.stop());

  it('checks text with WeChat and refuses risky text politely, without starting a report', async () => {
    const xu = h.citizen('许某');
    // msg_sec_check needs a mini-program openid: this citizen has used the mini-program too.
    expect(await xu.say('你好')).toHaveLength(1);
    await t.services.database.db
      .update(citizens)
      .set({ openid: 'o_xu_miniprogram' })
      .where(eq(citizens.chatContactId, xu.id));
    expect(await xu.say(`东湖路有人卖${RISKY_WORD}`)).toEqual([
      '您发送的内容未通过内容安全检查，无法处理。请客观描述遇到的问题，谢谢配合。',
    ]);
    const [conversation] = await t.services.database.db
      .select()
      .from(chatConversations)
      .where(eq(chatConversations.contactId, xu.id));
    expect(conversation.state).toBe('idle');
    const checks = fake.requests.filter((r) => r.path === '/wxa/msg_sec_check');
    expect(checks.at(-1)!.body).toMatchObject({
      content: `东湖路有人卖${RISKY_WORD}`,
      version: 2,
      scene: 2,
      openid: 'o_xu_miniprogram',
    });
    // Ordinary text goes on.
    expect(await xu.say('东湖路18号门口有人占道摆摊卖水果')).toEqual([expect.stringContaining('【无照经营游商】')]);
    const inbound = await t.services.database.db
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.contactId, xu.id), eq(chatMessages.direction, 'in')));
    expect(inbound.every((m) => m.handledAt)).toBe(true);
  });

  it('leaves text unchecked for a chat-only contact (WeChat checks only for mini-program users)', async () => {
    const before = fake.requests.filter((r) => r.path === '/wxa/msg_sec_check').length;
    expect(await h.citizen('只用微信的人').say('东湖路18号门口有人占道摆摊卖水果')).toEqual([
      expect.stringContaining('【无照经营游商】'),
    ]);
    expect(fake.requests.filter((r) => r.path === '/wxa/msg_sec_check')).toHaveLength(before);
  });
});
