import { describe, expect, it } from 'vitest';
import { buildSubscribeMessage, type CaseNotice, type TemplateKind } from '../../server/wechatApi/templates.js';
import { rejection, useFakeWechat } from './build.js';

const templateIds: Record<TemplateKind, string> = {
  registered: 'tpl-registered',
  dispatched: 'tpl-dispatched',
  resolved: 'tpl-resolved',
  survey: 'tpl-survey',
};

function buildNotice(overrides: Partial<CaseNotice> = {}): CaseNotice {
  return {
    caseNo: 'HZ2026050100012',
    categoryName: '暴露垃圾',
    address: '西湖区文三路 138 号东侧人行道',
    state: '派遣',
    at: new Date('2026-05-01T02:07:00Z'),
    ...overrides,
  };
}

describe('sendSubscribeMessage', () => {
  const h = useFakeWechat();

  it('sends the documented body, data values wrapped as {value}', async () => {
    await h.api.sendSubscribeMessage({
      touser: 'o_wang',
      templateId: 'tpl-dispatched',
      page: 'pages/detail/index?no=HZ1',
      data: { character_string1: 'HZ1', thing2: '暴露垃圾' },
    });
    expect(h.fake.sent).toEqual([
      {
        touser: 'o_wang',
        template_id: 'tpl-dispatched',
        page: 'pages/detail/index?no=HZ1',
        miniprogram_state: 'formal',
        lang: 'zh_CN',
        data: { character_string1: { value: 'HZ1' }, thing2: { value: '暴露垃圾' } },
      },
    ]);
  });

  it('delivers every template built for a case, long fields included', async () => {
    const notice = buildNotice({
      address: '浙江省杭州市西湖区文三路与学院路交叉口东北角公交站台旁边的人行道上',
      note: '已安排环卫作业人员现场清运，并对周边区域进行了冲洗保洁，后续将加强巡查频次',
      caseNo: 'HZ-2026-05-01-0000000000000012345 补',
    });
    for (const kind of Object.keys(templateIds) as TemplateKind[]) {
      await h.api.sendSubscribeMessage(buildSubscribeMessage(kind, notice, { touser: 'o_wang', templateIds }));
    }
    expect(h.fake.sent.map((m) => m.template_id)).toEqual(Object.values(templateIds));
    expect(h.fake.sent[0].page).toBe(`pages/detail/index?no=${encodeURIComponent(notice.caseNo)}`);
    expect(h.fake.sent[0].data.time5.value).toBe('2026-05-01 10:07');
  });

  it('answers subscription_refused, not retryable, when the user did not subscribe (43101)', async () => {
    h.fake.refuseSubscription('o_li');
    const err = await rejection(
      h.api.sendSubscribeMessage(buildSubscribeMessage('registered', buildNotice(), { touser: 'o_li', templateIds })),
    );
    expect(err).toMatchObject({ name: 'WechatError', code: 'subscription_refused', errcode: 43101, retryable: false });
    expect(h.fake.sent).toHaveLength(0);
  });

  it('answers rate_limited, retryable, at the quota (45009)', async () => {
    h.fake.setRateLimited('subscribe');
    const err = await rejection(
      h.api.sendSubscribeMessage(buildSubscribeMessage('resolved', buildNotice(), { touser: 'o_wang', templateIds })),
    );
    expect(err).toMatchObject({ code: 'rate_limited', errcode: 45009, retryable: true });
  });

  it('answers a bad openid (40003) and bad data (47003) as wechat_error, not retryable, naming the field', async () => {
    const badUser = await rejection(
      h.api.sendSubscribeMessage({ touser: '', templateId: 'tpl', data: { thing1: '路灯不亮' } }),
    );
    expect(badUser).toMatchObject({ code: 'wechat_error', errcode: 40003, retryable: false });
    const badData = await rejection(
      h.api.sendSubscribeMessage({ touser: 'o_wang', templateId: 'tpl', data: { thing1: '超'.repeat(21) } }),
    );
    expect(badData).toMatchObject({ code: 'wechat_error', errcode: 47003, retryable: false });
    expect(badData.message).toContain('thing1');
  });

  it('refreshes a revoked token and still delivers (40001)', async () => {
    await h.api.sendSubscribeMessage(
      buildSubscribeMessage('registered', buildNotice(), { touser: 'o_wang', templateIds }),
    );
    h.fake.expireTokens();
    await h.api.sendSubscribeMessage(buildSubscribeMessage('survey', buildNotice(), { touser: 'o_wang', templateIds }));
    expect(h.fake.sent).toHaveLength(2);
    expect(h.fake.tokenRequests).toBe(2);
  });
});
