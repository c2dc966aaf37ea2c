import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { areas, caseEvents, cases, departments, surveys } from '../../server/db/schema.js';
import { loadStats } from '../../server/stats/load.js';
import { loadStatsDirect } from '../../server/stats/direct.js';
import { score } from '../../server/stats/indicators.js';

/**
 * A week of history written by hand, 2026-11-02 (Mon) to 2026-11-08 (Sun), Beijing
 * time, and the indicators worked out by hand from it. A and B are two departments,
 * S1 and S2 two streets.
 *
 *        channel      小类            dept street  history (local time)
 * K1     hotline      100114 不明井盖  A    S1     recv 11-02 09:00, dispatch 10:00 (deadline 11-03 10:00), resolve 16:00,
 *                                                  check_pass 17:00, survey 满意 and close 11-03 10:00
 * K2     miniprogram  100114          A    S1     recv 11-03 08:00, dispatch 09:00 (deadline 17:00), resolve 11-04 09:00 (late),
 *                                                  check_pass 10:00, survey 不满意 + rework 11:00, resolve 11-05 09:00,
 *                                                  check_pass 10:00, survey 基本满意 and close 11:00
 * K3     hotline      200102 暴露垃圾  B    S2     recv 11-04 10:00, dispatch 11:00 (deadline 11-05 11:00), resolve 15:00,
 *                                                  check_pass 16:00, survey 未接通 (exhausted); answered 满意 and closed
 *                                                  only on 11-10, after the period
 * K4     wechat       200102          B    S2     recv 11-06 09:00, dispatch 10:00 (deadline 11-07 10:00), resolve 12:00,
 *                                                  check_pass 13:00, survey 满意 and close 14:00; reworked 11-10 (after)
 * K5     hotline      100114          A    S1     recv 11-07 15:00, dispatch 16:00, accept 17:00: still 处置中
 * K6     agent        (none)          -    S2     recv 11-08 23:50 (the last minutes of the period): still 受理
 * out    agent        100114          A    S1     recv 11-01 23:30 and 11-09 00:10: outside the period
 *
 * Totals: received 6; closed K1 K2 K4 = 3 (结案率 3/6 = 0.5); on time K1 K4 = 2 (按期 2/3);
 * answers K1 满意, K2 不满意 + 基本满意, K4 满意 = 4, satisfied 3 (满意率 0.75); surveyed cases
 * K1 K2 K4 over cases that reached 回访 K1–K4 (回访率 3/4); reworked K2 over disposed K1–K4
 * (返工率 1/4). Disposal: 100114 (6 h + 24 h) / 2 = 15 h; 200102 (4 h + 2 h) / 2 = 3 h.
 * A: received 3, closed 2, on time 1 (0.5), answers 3 of which 2 satisfied, reworked 1 of 2 disposed:
 *    score 100 × (0.4 × 0.5 + 0.3 × 2/3 + 0.2 × 2/3 + 0.1 × 0.5) = 58.3.
 * B: received 2, closed 1 on time (1), 1 answer satisfied, no rework of 2 disposed:
 *    score 100 × (0.4 + 0.3 + 0.2 × 0.5 + 0.1) = 90.0.
 */
let t: TestContext;
let A: number;
let B: number;
let S1: number;
let S2: number;
let supervisor: string;

const at = (local: string) => new Date(`2026-${local}+08:00`);

async function seedCase(o: {
  channel: string;
  category: string | null;
  dept: number | null;
  street: number;
  state: string;
  deadline?: string;
  history: Array<[string, string, string | null]>;
  answers?: Array<[string, string, string | null]>;
}) {
  const db = t.services.database.db;
  const [received] = o.history;
  const [k] = await db
    .insert(cases)
    .values({
      caseNo: `T${randomUUID().slice(0, 12)}`,
      state: o.state,
      channel: o.channel,
      categoryCode: o.category,
      title: '测试案件',
      description: '测试',
      departmentId: o.dept,
      streetId: o.street,
      deadlineAt: o.deadline ? at(o.deadline) : null,
      createdAt: at(received[0]),
    })
    .returning();
  await db.insert(caseEvents).values(
    o.history.map(([when, action, to]) => ({
      caseId: k.id,
      actorType: 'system' as const,
      action,
      toState: to,
      createdAt: at(when),
    })),
  );
  for (const [when, status, result] of o.answers ?? []) {
    await db.insert(surveys).values({
      caseId: k.id,
      citizenId: randomUUID(),
      round: (o.answers ?? []).findIndex((a) => a[0] === when),
      channel: 'phone',
      status: status as any,
      result: result as any,
      answeredAt: status === 'answered' ? at(when) : null,
    });
  }
  return k;
}

beforeAll(async () => {
  t = await createTestContext({ jobs: false });
  supervisor = await t.login('supervisor');
  const db = t.services.database.db;
  const dept = async (code: string) => (await db.select().from(departments).where(eq(departments.code, code)))[0].id;
  const street = async (code: string) => (await db.select().from(areas).where(eq(areas.code, code)))[0].id;
  [A, B, S1, S2] = [await dept('SZSS'), await dept('SRHW'), await street('D01-S01'), await street('D01-S02')];

  const flow = (day: string, h: number, resolveAt: string, passAt: string): Array<[string, string, string | null]> => [
    [`${day}T${String(h).padStart(2, '0')}:00`, 'received', '受理'],
    [`${day}T${String(h).padStart(2, '0')}:01`, 'register', '立案'],
    [`${day}T${String(h + 1).padStart(2, '0')}:00`, 'dispatch', '派遣'],
    [`${day}T${String(h + 1).padStart(2, '0')}:30`, 'accept', '处置中'],
    [resolveAt, 'resolve', '已处置'],
    [resolveAt.replace(/:00$/, ':01'), 'submit_check', '核查'],
    [passAt, 'check_pass', '回访'],
  ];
  await seedCase({
    channel: 'hotline',
    category: '100114',
    dept: A,
    street: S1,
    state: '结案',
    deadline: '11-03T10:00',
    history: [
      ...flow('11-02', 9, '11-02T16:00', '11-02T17:00'),
      ['11-03T10:00', 'survey_answered', '回访'],
      ['11-03T10:00', 'close', '结案'],
    ],
    answers: [['11-03T10:00', 'answered', '满意']],
  });
  await seedCase({
    channel: 'miniprogram',
    category: '100114',
    dept: A,
    street: S1,
    state: '结案',
    deadline: '11-03T17:00',
    history: [
      ...flow('11-03', 8, '11-04T09:00', '11-04T10:00'),
      ['11-04T11:00', 'rework', '处置中'],
      ['11-05T09:00', 'resolve', '已处置'],
      ['11-05T09:01', 'submit_check', '核查'],
      ['11-05T10:00', 'check_pass', '回访'],
      ['11-05T11:00', 'close', '结案'],
    ],
    answers: [
      ['11-04T11:00', 'answered', '不满意'],
      ['11-05T11:00', 'answered', '基本满意'],
    ],
  });
  await seedCase({
    channel: 'hotline',
    category: '200102',
    dept: B,
    street: S2,
    state: '结案',
    deadline: '11-05T11:00',
    history: [
      ...flow('11-04', 10, '11-04T15:00', '11-04T16:00'),
      ['11-06T11:00', 'survey_exhausted', '回访'],
      ['11-10T10:00', 'close', '结案'],
    ],
    answers: [
      ['11-06T11:00', 'exhausted', '未接通'],
      ['11-10T10:00', 'answered', '满意'],
    ],
  });
  await seedCase({
    channel: 'wechat',
    category: '200102',
    dept: B,
    street: S2,
    state: '处置中',
    deadline: '11-07T10:00',
    history: [
      ...flow('11-06', 9, '11-06T12:00', '11-06T13:00'),
      ['11-06T14:00', 'close', '结案'],
      ['11-10T09:00', 'rework', '处置中'],
    ],
    answers: [['11-06T14:00', 'answered', '满意']],
  });
  await seedCase({
    channel: 'hotline',
    category: '100114',
    dept: A,
    street: S1,
    state: '处置中',
    deadline: '11-08T16:00',
    history: [
      ['11-07T15:00', 'received', '受理'],
      ['11-07T15:01', 'register', '立案'],
      ['11-07T16:00', 'dispatch', '派遣'],
      ['11-07T17:00', 'accept', '处置中'],
    ],
  });
  await seedCase({
    channel: 'agent',
    category: null,
    dept: null,
    street: S2,
    state: '受理',
    history: [['11-08T23:50', 'received', '受理']],
  });
  for (const day of ['11-01T23:30', '11-09T00:10']) {
    await seedCase({
      channel: 'agent',
      category: '100114',
      dept: A,
      street: S1,
      state: '受理',
      history: [[day, 'received', '受理']],
    });
  }
});
afterAll(() => t.close());

describe('indicators over a hand-computed history', () => {
  it('gives the totals and rates worked out by hand', async () => {
    const s = await loadStats(t.services, { from: '2026-11-02', to: '2026-11-08' });
    expect(s.period).toMatchObject({ from: '2026-11-02', to: '2026-11-08', asOf: '2026-11-08T16:00:00.000Z' });
    expect(s.totals).toEqual({
      received: 6,
      closed: 3,
      closedOnTime: 2,
      surveyed: 3,
      satisfied: 3,
      reworked: 1,
      answered: 4,
      reachedSurvey: 4,
      disposed: 4,
    });
    expect(s.rates).toEqual({ 结案率: 0.5, 按期结案率: 0.6667, 满意率: 0.75, 回访率: 0.75, 返工率: 0.25 });
    expect(s.byChannel).toEqual([
      { channel: 'hotline', n: 3 },
      { channel: 'agent', n: 1 },
      { channel: 'miniprogram', n: 1 },
      { channel: 'wechat', n: 1 },
    ]);
    expect(s.byCategory).toEqual([
      { code: '100114', name: '不明井盖', n: 3 },
      { code: '200102', name: '暴露垃圾', n: 2 },
      { code: null, name: '未分类', n: 1 },
    ]);
    expect(s.byDay).toEqual(
      ['02', '03', '04', '05', '06', '07', '08'].map((d, i) => ({ day: `2026-11-${d}`, n: [1, 1, 1, 0, 1, 1, 1][i] })),
    );
    expect(s.avgDisposalHoursByCategory).toEqual([
      { code: '100114', name: '不明井盖', n: 2, hours: 15 },
      { code: '200102', name: '暴露垃圾', n: 2, hours: 3 },
    ]);
  });

  it('ranks departments by the documented 考评 score', async () => {
    const s = await loadStats(t.services, { from: '2026-11-02', to: '2026-11-08' });
    expect(s.departments).toEqual([
      {
        id: B,
        name: '市容环境卫生管理所',
        received: 2,
        closed: 1,
        closedOnTime: 1,
        answered: 1,
        satisfied: 1,
        reworked: 0,
        disposed: 2,
        closeRate: 0.5,
        onTimeRate: 1,
        satisfactionRate: 1,
        reworkRate: 0,
        score: 90,
      },
      {
        id: A,
        name: '市政设施管理处',
        received: 3,
        closed: 2,
        closedOnTime: 1,
        answered: 3,
        satisfied: 2,
        reworked: 1,
        disposed: 2,
        closeRate: 0.6667,
        onTimeRate: 0.5,
        satisfactionRate: 0.6667,
        reworkRate: 0.5,
        score: 58.3,
      },
    ]);
  });

  it('sees later history once the period includes it', async () => {
    const s = await loadStats(t.services, { from: '2026-11-02', to: '2026-11-10' });
    // K3 answered and closed on 11-10; K4 reworked the same day; the 11-09 case joins.
    expect(s.totals).toMatchObject({ received: 7, closed: 3, answered: 5, satisfied: 4, reworked: 2, surveyed: 4 });
  });

  it('filters by area and by department', async () => {
    const street = await loadStats(t.services, { from: '2026-11-02', to: '2026-11-08', areaId: S1 });
    expect(street.totals).toMatchObject({
      received: 3,
      closed: 2,
      closedOnTime: 1,
      answered: 3,
      satisfied: 2,
      reworked: 1,
    });
    expect(street.departments.map((d) => d.id)).toEqual([A]);
    const dept = await loadStats(t.services, { from: '2026-11-02', to: '2026-11-08', departmentId: B });
    expect(dept.totals).toMatchObject({ received: 2, closed: 1, closedOnTime: 1 });
    expect(dept.rates.满意率).toBe(1);
  });

  it('gives from the rollups exactly what the definitions give over the raw rows', async () => {
    for (const q of [
      { from: '2026-11-02', to: '2026-11-08' },
      { from: '2026-11-02', to: '2026-11-10' },
      { from: '2026-11-03', to: '2026-11-04' },
      { from: '2026-11-02', to: '2026-11-08', areaId: S1 },
      { from: '2026-11-02', to: '2026-11-08', departmentId: B },
    ]) {
      expect(await loadStats(t.services, q)).toEqual(await loadStatsDirect(t.services, q));
    }
  });

  it('leaves satisfaction out of a score with no answers, and counts nothing closed as 0', () => {
    const none = {
      received: 0,
      closed: 0,
      closedOnTime: 0,
      surveyed: 0,
      satisfied: 0,
      reworked: 0,
      answered: 0,
      reachedSurvey: 0,
      disposed: 0,
    };
    expect(score(none)).toBeNull();
    // 1 received, closed on time, disposed without rework, no answers: (0.4 + 0.2 + 0.1) / 0.7.
    expect(score({ ...none, received: 1, closed: 1, closedOnTime: 1, disposed: 1 })).toBe(100);
    expect(score({ ...none, received: 2 })).toBe(0);
  });
});

describe('GET /api/stats and /api/stats.csv', () => {
  it('answers supervisors in the documented shape, and refuses agents', async () => {
    const r = await t
      .http()
      .get('/api/stats?from=2026-11-02&to=2026-11-08')
      .set('Authorization', `Bearer ${supervisor}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual([
      'avgDisposalHoursByCategory',
      'byCategory',
      'byChannel',
      'byDay',
      'departments',
      'period',
      'rates',
      'supervision',
      'totals',
    ]);
    expect(r.body.supervision).toEqual({ urges: 0, urgedCases: 0 });
    expect(r.body.rates.结案率).toBe(0.5);
    const agent = await t.login('agent');
    expect((await t.http().get('/api/stats').set('Authorization', `Bearer ${agent}`)).status).toBe(403);
    expect((await t.http().get('/api/stats')).status).toBe(401);
  });

  it('refuses a malformed or reversed period', async () => {
    for (const q of [
      'from=2026-11-31',
      'from=11/02/2026',
      'from=2026-11-08&to=2026-11-02',
      'from=2025-01-01&to=2026-11-08',
      'areaId=x',
    ]) {
      const r = await t.http().get(`/api/stats?${q}`).set('Authorization', `Bearer ${supervisor}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
    const defaults = await t.http().get('/api/stats').set('Authorization', `Bearer ${supervisor}`);
    expect(defaults.body.byDay).toHaveLength(30);
  });

  it('exports a CSV that Excel opens: BOM, the whole scope, then each department', async () => {
    const r = await t
      .http()
      .get('/api/stats.csv?from=2026-11-02&to=2026-11-08')
      .set('Authorization', `Bearer ${supervisor}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    expect(r.text.charCodeAt(0)).toBe(0xfeff);
    const lines = r.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      '范围,统计起,统计止,受理,结案,按期结案,已回访,满意,返工,结案率,按期结案率,满意率,回访率,返工率,考评得分',
    );
    expect(lines[1]).toBe('全部,2026-11-02,2026-11-08,6,3,2,3,3,1,50.0%,66.7%,75.0%,75.0%,25.0%,');
    expect(lines[2]).toMatch(/^市容环境卫生管理所,.*,90$/);
    expect(lines[3]).toMatch(/^市政设施管理处,.*,58\.3$/);
  });
});
