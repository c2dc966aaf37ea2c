import { describe, expect, it } from 'vitest';
import { converse, MAX_PHOTOS, newConversation } from '../../server/chatbot/conversation.js';
import type {
  ChatInput,
  ChatPorts,
  Classified,
  Conversation,
  PendingSurvey,
  ReportDraft,
} from '../../server/chatbot/types.js';

/**
 * The state machine on its own, with plain-object ports: no Wechaty, no
 * database. What the service does behind the ports is tested in bot.test.ts.
 */

const stall: Classified = { code: '200501', name: '无照经营游商', kind: '事件', sure: true, photoRequired: false };
const shopfront: Classified = { code: '200504', name: '店外经营', kind: '事件', sure: true, photoRequired: true };
const lamp: Classified = { code: '100118', name: '路灯', kind: '部件', sure: false, photoRequired: false };

function fakePorts(o: { pending?: PendingSurvey | null; failSubmit?: boolean } = {}) {
  const calls = {
    submitted: [] as ReportDraft[],
    answers: [] as Array<{ surveyId: string; result: string; comment: string | null }>,
  };
  let cases = 0;
  const ports: ChatPorts = {
    classify: async (text) =>
      /摆摊/.test(text) ? stall : /门外/.test(text) ? shopfront : /灯/.test(text) ? lamp : null,
    categoryNamed: async (text) => (text.includes('店外经营') ? { ...shopfront } : null),
    placeFromText: async (text) => {
      for (const p of ['东湖路18号门口', '学院路', '望江小区'])
        if (text.includes(p)) return { found: { label: p, address: p, lat: null, lng: null } };
      return text.includes('幸福路') ? { unresolved: '幸福路' } : null;
    },
    findAddress: async (text) =>
      text.includes('东湖路18号')
        ? { label: '东湖路18号', community: '湖畔社区', grid: '湖畔社区第1网格', lat: 30.2014487, lng: 120.1181039 }
        : null,
    placeFromPoint: async ({ lat, lng, name }) =>
      lat > 30 && lat < 31 ? { label: name ?? '所发位置', address: name ?? '', lat, lng } : null,
    submit: async (_c, draft) => {
      if (o.failSubmit) throw new Error('database down');
      calls.submitted.push(structuredClone(draft));
      return { caseId: `case-${++cases}`, caseNo: `20261121${String(cases).padStart(5, '0')}`, duplicate: false };
    },
    caseStatus: async () => null,
    myCases: async () => [],
    pendingSurvey: async () => o.pending ?? null,
    answerSurvey: async (input) => {
      calls.answers.push({ surveyId: input.surveyId, result: input.result, comment: input.comment });
      return true;
    },
  };
  return { ports, calls };
}

/** Plays messages through the machine the way the engine does, one turn after another. */
function chat(ports: ChatPorts, start: Conversation = newConversation('wxid_a', 'citizen-a')) {
  let c = start;
  let n = 0;
  return {
    get state() {
      return c;
    },
    async send(input: ChatInput | string) {
      const turn = await converse(
        c,
        {
          messageId: `m${++n}`,
          name: '张三',
          input: typeof input === 'string' ? { kind: 'text', text: input } : input,
        },
        ports,
      );
      c = turn.conversation;
      return turn;
    },
  };
}

describe('the report flow', () => {
  it('goes straight to the confirmation when one message says what and where, and submits on 1', async () => {
    const { ports, calls } = fakePorts();
    const s = chat(ports);
    const asked = await s.send('东湖路18号门口有人占道摆摊');
    expect(asked.replies).toEqual([
      '您反映的是【无照经营游商】问题，地点：东湖路18号门口，确认提交请回复1，修改请回复2',
    ]);
    expect(s.state.state).toBe('confirming');
    const done = await s.send('1');
    expect(done.replies).toEqual([expect.stringMatching(/^提交成功！案件号：2026112100001。/)]);
    expect(done.caseId).toBe('case-1');
    expect(s.state).toMatchObject({ state: 'idle', report: null });
    expect(calls.submitted[0]).toMatchObject({
      id: 'm1',
      texts: ['东湖路18号门口有人占道摆摊'],
      category: { code: '200501', sure: true },
    });
    // Thanks afterwards is not a new report.
    expect((await s.send('谢谢！')).replies).toEqual(['不客气！有需要随时发消息给我们。']);
    expect(s.state.report).toBeNull();
  });

  it('keeps the first message id as the draft id through corrections: one idempotency key per report', async () => {
    const { ports, calls } = fakePorts();
    const s = chat(ports);
    await s.send('东湖路18号门口有人占道摆摊');
    expect((await s.send('不对，是在学院路')).replies).toEqual([
      '您反映的是【无照经营游商】问题，地点：学院路附近，确认提交请回复1，修改请回复2',
    ]);
    expect((await s.send('不对，是店外经营')).replies).toEqual([
      '【店外经营】问题需要一张现场照片，方便工作人员核实。请拍一张照片发过来。',
    ]);
    expect((await s.send({ kind: 'image', uploadId: 'u1', gps: null })).replies[0]).toMatch(
      /^您反映的是【店外经营】问题，地点：学院路附近/,
    );
    await s.send('1');
    expect(calls.submitted[0]).toMatchObject({
      id: 'm1',
      photos: ['u1'],
      place: { label: '学院路' },
      category: { code: '200504', sure: true },
    });
    expect(calls.submitted[0].texts).toEqual(['东湖路18号门口有人占道摆摊', '不对，是在学院路', '不对，是店外经营']);
  });

  it('asks only for what is missing, in order: what, where, photo', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    expect(
      (await s.send({ kind: 'location', lat: 30.2, lng: 120.1, name: '望江路88号', address: null })).replies,
    ).toEqual(['收到位置：望江路88号附近。请用文字描述一下您要反映的问题。']);
    expect((await s.send('店家把东西都堆到门外了')).replies).toEqual([
      '【店外经营】问题需要一张现场照片，方便工作人员核实。请拍一张照片发过来。',
    ]);
    expect((await s.send('没有照片')).replies[0]).toMatch(/需要现场照片才能受理/);
    expect(s.state.report!.texts).toEqual(['店家把东西都堆到门外了']);
  });

  it('takes a photo first and its GPS as the place', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    expect((await s.send({ kind: 'image', uploadId: 'u1', gps: { lat: 30.21, lng: 120.11 } })).replies).toEqual([
      '收到位置：所发位置附近。请用文字描述一下您要反映的问题。',
    ]);
    expect(s.state.report!.place).toMatchObject({ lat: 30.21, lng: 120.11 });
  });

  it('goes on unclassified after two descriptions it cannot judge, for staff to sort', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    expect((await s.send('我要反映个事情')).replies).toEqual([
      '还没能判断是什么问题，请再具体描述一下：什么东西坏了，或者看到了什么情况？',
    ]);
    expect((await s.send('就是那个东西不太对劲，望江小区')).replies).toEqual([
      '您反映的问题（具体类别由工作人员判断），地点：望江小区附近，确认提交请回复1，修改请回复2',
    ]);
  });

  it('accepts an unsure category after a second try, and asks again for a place it cannot find', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    await s.send('灯不亮');
    expect(s.state.state).toBe('awaiting_description');
    expect((await s.send('晚上那个灯一直不亮，幸福路')).replies).toEqual([
      '没能在本区找到「幸福路」。请发送微信位置，或者写上附近的路名、小区名（如：东湖路、望江小区）。需要人工帮助请回复「人工」。',
    ]);
    expect((await s.send({ kind: 'location', lat: 50, lng: 120, name: '外地', address: null })).replies).toEqual([
      '这个位置不在本区的服务范围内。请发送问题所在的位置，或者告诉我们路名、小区名。',
    ]);
    expect((await s.send('在学院路')).replies).toEqual([
      '您反映的是【路灯】问题，地点：学院路附近，确认提交请回复1，修改请回复2',
    ]);
    expect(s.state.report!.category).toMatchObject({ code: '100118', sure: false });
  });

  it('caps photos', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    for (let i = 0; i < MAX_PHOTOS; i++) await s.send({ kind: 'image', uploadId: `u${i}`, gps: null });
    expect((await s.send({ kind: 'image', uploadId: 'one-too-many', gps: null })).replies).toEqual([
      '最多可以附 6 张照片，这张没有加入。',
    ]);
    expect(s.state.report!.photos).toHaveLength(MAX_PHOTOS);
  });

  it('leaves the conversation it was given untouched, and a failed submission leaves the draft as it was', async () => {
    const { ports } = fakePorts({ failSubmit: true });
    const s = chat(ports);
    await s.send('东湖路18号门口有人占道摆摊');
    const before = structuredClone(s.state);
    await expect(
      converse(s.state, { messageId: 'm9', name: null, input: { kind: 'text', text: '1' } }, ports),
    ).rejects.toThrow('database down');
    expect(s.state).toEqual(before);
  });
});

describe('beside the report flow', () => {
  it('stays quiet while an agent has the conversation', async () => {
    const { ports } = fakePorts();
    const c = { ...newConversation('wxid_b', 'citizen-b'), handover: true };
    const turn = await converse(
      c,
      { messageId: 'x', name: null, input: { kind: 'text', text: '东湖路18号门口有人占道摆摊' } },
      ports,
    );
    expect(turn.replies).toEqual([]);
    expect(turn.conversation).toEqual(c);
  });

  it('hands over on 人工 and keeps the draft for later', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    await s.send('东湖路18号门口有人占道摆摊');
    expect((await s.send('转人工')).replies).toEqual(['正在为您转接人工客服，请稍候，工作人员会在这里回复您。']);
    expect(s.state).toMatchObject({ handover: true, state: 'confirming' });
  });

  it('reads 1 as the confirmation while one waits, and words as the survey answer', async () => {
    const pending: PendingSurvey = { surveyId: 's1', caseNo: '2026112000007', title: '路灯（望江社区）', asked: true };
    const { ports, calls } = fakePorts({ pending });
    const s = chat(ports);
    await s.send('东湖路18号门口有人占道摆摊');
    expect((await s.send('还行')).replies).toEqual([
      '感谢您的评价！我们会继续努力。',
      expect.stringMatching(/^您反映的是【无照经营游商】问题/),
    ]);
    expect(calls.answers).toEqual([{ surveyId: 's1', result: '基本满意', comment: null }]);
    expect((await s.send('1')).replies[0]).toMatch(/^提交成功/);
  });

  it('takes 1/2/3 only for a question put in this chat; words for any survey waiting for the citizen', async () => {
    const elsewhere: PendingSurvey = { surveyId: 's2', caseNo: '2026112000008', title: '井盖', asked: false };
    const { ports, calls } = fakePorts({ pending: elsewhere });
    const s = chat(ports);
    expect((await s.send('3')).replies).toEqual([
      '还没能判断是什么问题，请再具体描述一下：什么东西坏了，或者看到了什么情况？',
    ]);
    expect(calls.answers).toEqual([]);
    const t = chat(ports);
    expect((await t.send('不满意')).replies).toEqual([
      '很抱歉处理结果没有让您满意，我们会安排重新处理。如需补充说明，请直接留言。',
    ]);
    expect(calls.answers).toEqual([{ surveyId: 's2', result: '不满意', comment: null }]);
  });

  it('answers stickers and voice without touching the draft', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    await s.send('东湖路18号门口有人占道摆摊');
    const before = structuredClone(s.state);
    expect((await s.send({ kind: 'unsupported', what: 'voice' })).replies).toEqual([
      '暂时听不了语音，请用文字描述问题，也可以发送照片和位置。',
    ]);
    expect(s.state).toEqual(before);
  });
});

describe('an address typed where the place is asked', () => {
  const askPlace =
    '好的，您反映的是【无照经营游商】问题。请问具体在哪里？可以发送微信位置，或者告诉我们路名、门牌号、小区名。';
  const proposed = '您说的是东湖路18号（湖畔社区）吗？回复1确认；不是的话，请发送正确的地址或微信位置。';

  it('is proposed as the best match with its community, and 1 takes its point', async () => {
    const { ports, calls } = fakePorts();
    const s = chat(ports);
    expect((await s.send('有人在路边占道摆摊')).replies).toEqual([askPlace]);
    expect((await s.send('东湖路18号')).replies).toEqual([proposed]);
    expect(s.state.state).toBe('confirming_place');
    expect((await s.send('1')).replies).toEqual([
      '您反映的是【无照经营游商】问题，地点：东湖路18号附近，确认提交请回复1，修改请回复2',
    ]);
    expect(s.state.report!.place).toEqual({
      label: '东湖路18号',
      address: '东湖路18号',
      lat: 30.2014487,
      lng: 120.1181039,
    });
    expect(s.state.report!.proposal).toBeNull();
    await s.send('1');
    expect(calls.submitted[0].place).toMatchObject({ lat: 30.2014487, lng: 120.1181039 });
    expect(calls.submitted[0].texts).toEqual(['有人在路边占道摆摊', '东湖路18号']);
  });

  it('refused with 2, is asked for again; another address instead is looked up in turn', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    await s.send('有人在路边占道摆摊');
    await s.send('东湖路18号');
    expect((await s.send('不是')).replies).toEqual([
      '好的。请告诉我们更准确的地址（路名加门牌号、小区名或两条路的交叉口），或者发送微信位置。',
    ]);
    expect(s.state.state).toBe('awaiting_place');
    expect(s.state.report!.place).toBeNull();
    await s.send('东湖路18号');
    expect((await s.send('在学院路')).replies).toEqual([
      '您反映的是【无照经营游商】问题，地点：学院路附近，确认提交请回复1，修改请回复2',
    ]);
    expect(s.state.report!.place).toMatchObject({ label: '学院路', lat: null });
  });

  it('a location sent instead of the answer takes its place', async () => {
    const { ports } = fakePorts();
    const s = chat(ports);
    await s.send('有人在路边占道摆摊');
    await s.send('东湖路18号');
    const turn = await s.send({ kind: 'location', lat: 30.25, lng: 120.15, name: '望江路88号', address: null });
    expect(turn.replies).toEqual([
      '您反映的是【无照经营游商】问题，地点：望江路88号附近，确认提交请回复1，修改请回复2',
    ]);
    expect(s.state.report!.proposal).toBeNull();
  });
});
