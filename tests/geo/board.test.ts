import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, places } from '../helpers/factories.js';
import { caseEvents, cases } from '../../server/db/schema.js';
import { monthRange } from '../../server/board/month.js';

const PHONE = '13912345678';

/** Closes a case as the end of its history would: a resolve with the department's reply, then 结案. */
async function closeWithReply(t: TestContext, caseId: string, reply: string, onTime: boolean) {
  const db = t.services.database.db;
  const now = new Date();
  await db.insert(caseEvents).values([
    { caseId, actorType: 'department', action: 'resolve', fromState: '处置中', toState: '已处置', note: reply },
    { caseId, actorType: 'system', action: 'close', fromState: '回访', toState: '结案' },
  ]);
  await db
    .update(cases)
    .set({ state: '结案', closedAt: now, deadlineAt: new Date(now.getTime() + (onTime ? 1 : -1) * 3600_000) })
    .where(eq(cases.id, caseId));
}

describe('the public board', () => {
  let t: TestContext;
  let closedNo: string;
  beforeAll(async () => {
    t = await createTestContext({ jobs: false, env: { PUBLIC_BOARD_RATE_PER_MINUTE: '5' } });
    const agent = await t.login('agent');
    const closed = await fileReport(t, agent, {
      text: `东湖路井盖丢了，我是张三，电话${PHONE}，住湖畔花园3幢`,
      address: '湖畔花园3幢501室',
      phone: PHONE,
      location: { lat: 30.2051234, lng: 120.1154321 },
    });
    closedNo = closed.caseNo;
    await closeWithReply(t, closed.id, `已更换井盖，如有问题请联系 ${PHONE}`, true);
    await fileReport(t, agent, {
      text: '文昌阁小区门口垃圾堆积很多天了',
      categoryCode: '200101',
      location: places.wenChang,
      address: '文昌阁小区',
    });
  });
  afterAll(() => t.close());

  it('lists a closed case anonymised: category, street and community, dates, a point to ~100 m, the reply masked', async () => {
    const res = await t.http().get('/api/public/board');
    expect(res.status).toBe(200);
    const item = res.body.items.find((i: any) => i.caseNo === closedNo);
    expect(item).toMatchObject({
      category: expect.any(String),
      street: '东湖街道',
      community: '湖畔社区',
      state: '已办结',
      point: { lat: 30.205, lng: 120.115 },
      reply: '已更换井盖，如有问题请联系 139****5678',
    });
    expect(item.receivedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const text = JSON.stringify(res.body);
    for (const personal of [PHONE, '张三', '湖畔花园3幢', '501', '30.2051', 'description', 'photos', 'address'])
      expect(text).not.toContain(personal);
    expect(res.body.streets.map((s: any) => s.name).sort()).toEqual(['东湖街道', '西城街道']);
  });

  it('gives each street’s month: 受理量, 结案率, 按期结案率, 满意率', async () => {
    const res = await t.http().get('/api/public/board/figures').query({ month: monthRange().month });
    expect(res.body.streets).toEqual([
      {
        streetId: expect.any(Number),
        street: '东湖街道',
        received: 1,
        closureRate: 1,
        onTimeRate: 1,
        satisfactionRate: null,
      },
      {
        streetId: expect.any(Number),
        street: '西城街道',
        received: 1,
        closureRate: 0,
        onTimeRate: null,
        satisfactionRate: null,
      },
    ]);
    const empty = await t.http().get('/api/public/board/figures').query({ month: '2020-01' });
    expect(empty.body).toEqual({ month: '2020-01', streets: [] });
    expect((await t.http().get('/api/public/board/figures').query({ month: '2020-13' })).status).toBe(400);
  });

  it('is rate-limited per address', async () => {
    let last = 200;
    for (let i = 0; i < 6 && last !== 429; i++) last = (await t.http().get('/api/public/board')).status;
    expect(last).toBe(429);
  });
});
