import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { buildReport, fileReport, key, north, places } from '../helpers/factories.js';
import { caseEvents, cases, citizens, reports, routingRules } from '../../server/db/schema.js';
import { loadCase } from '../../server/cases/transitions.js';
import { backend, watchTransactions } from '../helpers/db.js';
import { FLUSHED_BEHIND } from '../../server/db/transaction.js';

let t: TestContext;
let agent: string;
beforeAll(async () => {
  t = await createTestContext();
  agent = await t.login('agent');
});
afterAll(() => t.close());

describe('one intake path', () => {
  it('opens a located, routed, registered case with a 13-digit case number', async () => {
    const res = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send(buildReport({ phone: '13812345678' }));
    expect(res.status).toBe(201);
    const c = res.body.case;
    expect(c.caseNo).toMatch(/^\d{13}$/);
    expect(c.state).toBe('立案');
    expect(c.category).toEqual({ code: '100114', name: '不明井盖' });
    expect(c.area.streetName).toBe('东湖街道');
    expect(c.area.gridName).toBe('湖畔社区第1网格');
    expect(c.department.name).toBe('市政设施管理处');
    expect(res.body.report.disposition).toBe('opened');
    // Opened at 立案 in one statement: the history still tells both steps, in order, and the version counts one step.
    const history = await t.services.database.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.caseId, c.id))
      .orderBy(caseEvents.id);
    expect(history.map((e) => [e.action, e.fromState, e.toState, e.actorType, e.note])).toEqual([
      ['received', null, '受理', 'staff', '热线电话受理'],
      ['register', '受理', '立案', 'system', '自动立案'],
    ]);
    const [row] = await t.services.database.db.select().from(cases).where(eq(cases.id, c.id));
    expect(row.version).toBe(2);
    expect(row.needsReview).toBe(false);
  });

  it('gives sortable, unique case numbers under concurrent intake', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fileReport(t, agent, {
          location: north(places.wenChang, 200 * (i + 1)),
          categoryCode: '200201',
          text: `第${i}处电线杆上贴满了小广告`,
        }),
      ),
    );
    const nos = results.map((r) => r.caseNo);
    expect(nos.every((n) => n.length === 13)).toBe(true);
    // Eight consecutive numbers of one day: none shared, none skipped.
    const seq = nos.map((n) => Number(n.slice(8))).sort((a, b) => a - b);
    expect(seq).toEqual(Array.from({ length: 8 }, (_, i) => seq[0] + i));
    expect(new Set(nos.map((n) => n.slice(0, 8))).size).toBe(1);
  });

  it.runIf(backend === 'postgres')(
    'frees the day’s counter row before its commit is flushed and answers only after the flush',
    async () => {
      const watch = watchTransactions(t.services.database);
      try {
        const res = await t
          .http()
          .post('/api/reports')
          .set('Authorization', `Bearer ${agent}`)
          .send(buildReport({ text: '东湖路上有个井盖没有了', location: north(places.wenChang, 3000) }));
        expect(res.status).toBe(201);
        // The opening statement, then its commit without the flush, then a transaction whose synchronous
        // commit waits for the WAL flushed past it; the 201 went out after its answer.
        expect(watch.sent.slice(-3)).toEqual(['set local synchronous_commit to off', 'commit', FLUSHED_BEHIND]);
        expect(watch.sent.at(-4)).toMatch(/insert into "cases" /);
        expect(watch.answered.at(-1)).toBe(FLUSHED_BEHIND);
      } finally {
        watch.restore();
      }
    },
  );

  it('returns the first result for a retried idempotency key, never a second case', async () => {
    const body = buildReport({
      location: places.wangJiang,
      text: '望江公园门口的路灯坏了一排，晚上漆黑一片',
      categoryCode: '100118',
    });
    const first = await t.http().post('/api/reports').set('Authorization', `Bearer ${agent}`).send(body);
    const again = await t.http().post('/api/reports').set('Authorization', `Bearer ${agent}`).send(body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.case.caseNo).toBe(first.body.case.caseNo);
    const rows = await t.services.database.db
      .select()
      .from(reports)
      .where(eq(reports.idempotencyKey, `staff:${body.idempotencyKey as string}`));
    expect(rows).toHaveLength(1);
  });

  it('makes one case when the same key arrives twice at once', async () => {
    const body = buildReport({
      location: north(places.wangJiang, 900),
      text: '望江路上的消火栓在漏水，水流了一地',
      categoryCode: '100113',
    });
    const [a, b] = await Promise.all([
      t.http().post('/api/reports').set('Authorization', `Bearer ${agent}`).send(body),
      t.http().post('/api/reports').set('Authorization', `Bearer ${agent}`).send(body),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.case.id).toBe(b.body.case.id);
    // The attempt that lost rolled its number back with it: the next case takes the very next number.
    const next = await fileReport(t, agent, {
      location: north(places.wangJiang, 1800),
      categoryCode: '100113',
      text: '望江路北段又一个消火栓在漏水',
    });
    expect(Number(next.caseNo)).toBe(Number(a.body.case.caseNo) + 1);
  });

  it('refuses the same key with different content', async () => {
    const body = buildReport();
    await t.http().post('/api/reports').set('Authorization', `Bearer ${agent}`).send(body);
    const res = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send({ ...body, text: '完全不同的内容' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_mismatch');
  });

  it('finds the place from an address when there are no coordinates', async () => {
    const c = await fileReport(t, agent, {
      location: null,
      address: '文昌阁小区3号楼下面',
      categoryCode: '100305',
      text: '文昌阁小区楼下的垃圾桶盖子坏了',
    });
    const detail = await t.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${agent}`);
    expect(detail.body.case.area.communityName).toBe('文昌社区');
    expect(detail.body.case.department.name).toBe('市容环境卫生管理所');
  });

  it('sends a report it cannot place to triage, unregistered', async () => {
    const c = await fileReport(t, agent, { location: null, address: '不知道哪里', text: '有个井盖坏了' });
    expect(c.state).toBe('受理');
    const triage = await t.http().get('/api/cases?triage=true').set('Authorization', `Bearer ${agent}`);
    expect(triage.body.items.map((x: any) => x.id)).toContain(c.id);
  });

  it('resolves the citizen by phone across reports and keeps the number encrypted', async () => {
    await fileReport(t, agent, {
      phone: '13900001111',
      location: north(places.huPan, 700),
      categoryCode: '100117',
      text: '电线杆歪了快倒了',
    });
    await fileReport(t, agent, {
      phone: '+86 139-0000-1111',
      location: north(places.huPan, 1500),
      categoryCode: '100123',
      text: '邮筒被撞倒了',
    });
    const rows = await t.services.database.db.select().from(citizens).where(eq(citizens.phoneMasked, '139****1111'));
    expect(rows).toHaveLength(1);
    expect(rows[0].phoneEnc).not.toContain('13900001111');
    expect(rows[0].phoneHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('classifies free text when no category is chosen, and sends unsure text to review', async () => {
    const sure = await t.http().post('/api/reports').set('Authorization', `Bearer ${agent}`).send({
      idempotencyKey: key(),
      text: '学院路那边有人在人行道上摆摊卖菜，把路都堵住了',
      location: places.wenChang,
    });
    expect(sure.status).toBe(201);
    expect(sure.body.case.kind).toBe('事件');
    const unsure = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send({ idempotencyKey: key(), text: '嗯嗯嗯', location: places.wenChang });
    expect(unsure.body.case.needsReview).toBe(true);
    expect(unsure.body.case.state).toBe('受理');
    const queue = await t.http().get('/api/review-queue').set('Authorization', `Bearer ${agent}`);
    expect(queue.body.items.map((x: any) => x.id)).toContain(unsure.body.case.id);
    const fixed = await t
      .http()
      .post(`/api/cases/${unsure.body.case.id}/reclassify`)
      .set('Authorization', `Bearer ${agent}`)
      .send({ categoryCode: '200504', version: unsure.body.case.version });
    expect(fixed.status).toBe(200);
    expect(fixed.body.case.needsReview).toBe(false);
    expect(fixed.body.case.department.name).toBe('西城街道城管执法中队');
  });

  it("keeps the classifier's decision with the report, not the phone numbers and places it could find in the text", async () => {
    const res = await t.http().post('/api/reports').set('Authorization', `Bearer ${agent}`).send({
      idempotencyKey: key(),
      text: '学院路菜场门口有人占道摆摊，我电话13900002222',
      location: places.wenChang,
    });
    expect(res.status).toBe(201);
    const [row] = await t.services.database.db.select().from(reports).where(eq(reports.id, res.body.report.id));
    const stored = row.classification as Record<string, unknown>;
    expect(stored.kind).toBe(res.body.case.kind);
    expect(stored).toHaveProperty('confidence');
    expect(stored).not.toHaveProperty('entities');
    expect(JSON.stringify(stored)).not.toContain('13900002222');
  });

  it('reads a case without its search vector, which only SQL searches', async () => {
    const res = await t.http().post('/api/reports').set('Authorization', `Bearer ${agent}`).send({
      idempotencyKey: key(),
      text: '望江社区北门外的人行道上井盖松动了，踩上去咣当响',
      location: places.wangJiang,
    });
    expect(res.status).toBe(201);
    const loaded = await loadCase(t.services.database.db, res.body.case.id);
    expect(loaded?.description).toContain('井盖松动');
    expect(loaded).not.toHaveProperty('searchVector');
    const found = await t.http().get('/api/cases').query({ q: '咣当响' }).set('Authorization', `Bearer ${agent}`);
    expect(found.body.items.map((c: { id: string }) => c.id)).toContain(res.body.case.id);
  });

  it('validates input with clear errors', async () => {
    const noText = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send({ idempotencyKey: key() });
    expect(noText.status).toBe(400);
    expect(noText.body.error.message).toBe('text: required');
    const badCat = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send(buildReport({ categoryCode: '999999' }));
    expect(badCat.status).toBe(422);
    expect(badCat.body.error.code).toBe('unknown_category');
    const badLoc = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send({ ...buildReport(), location: { lat: 200, lng: 1 } });
    expect(badLoc.status).toBe(400);
    expect(badLoc.body.error.message).toMatch(/^location\.lat/);
    const anon = await t.http().post('/api/reports').send(buildReport());
    expect(anon.status).toBe(401);
    const dept = await t.login('szss');
    const forbidden = await t.http().post('/api/reports').set('Authorization', `Bearer ${dept}`).send(buildReport());
    expect(forbidden.status).toBe(403);
  });
});

describe('duplicates', () => {
  it('makes one case of reports of one place that arrive at once, and attaches the rest to it', async () => {
    const at = (i: number) => north(places.huPan, 4000 + i * 5);
    const sent = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t
          .http()
          .post('/api/reports')
          .set('Authorization', `Bearer ${agent}`)
          .send(
            buildReport({ location: at(i), categoryCode: '100305', text: `湖畔这边的垃圾箱破了，第${i + 1}个人反映` }),
          ),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(Array(8).fill(201));
    const opened = [...new Set(sent.map((r) => r.body.case.id as string))];
    expect(opened).toHaveLength(1);
    expect(sent.filter((r) => r.body.report.disposition === 'duplicate')).toHaveLength(7);
    const [kase] = await t.services.database.db.select().from(cases).where(eq(cases.id, opened[0]));
    expect(kase.duplicateCount).toBe(7);
  });

  it('attaches a report near an open case of the same 小类 and lets a supervisor split it', async () => {
    const first = await fileReport(t, agent, {
      location: north(places.wenChang, 3000),
      categoryCode: '100214',
      text: '文昌路口红绿灯不亮了',
    });
    const second = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send(
        buildReport({
          location: north(places.wenChang, 3030),
          categoryCode: '100214',
          text: '那个路口的信号灯坏了，车都乱开',
        }),
      );
    expect(second.status).toBe(201);
    expect(second.body.report.disposition).toBe('duplicate');
    expect(second.body.case.id).toBe(first.id);
    expect(second.body.case.duplicateCount).toBe(1);
    // Another 小类 at the same spot, or the same 小类 far away, is a case of its own.
    const other = await fileReport(t, agent, {
      location: north(places.wenChang, 3030),
      categoryCode: '100118',
      text: '路灯也不亮',
    });
    expect(other.id).not.toBe(first.id);
    const far = await fileReport(t, agent, {
      location: north(places.wenChang, 3200),
      categoryCode: '100214',
      text: '另一个路口红绿灯坏了',
    });
    expect(far.id).not.toBe(first.id);

    const nearby = await t
      .http()
      .get(`/api/reports/nearby?lat=${north(places.wenChang, 3010).lat}&lng=${places.wenChang.lng}&categoryCode=100214`)
      .set('Authorization', `Bearer ${agent}`);
    expect(nearby.body.items[0].id).toBe(first.id);

    const sup = await t.login('supervisor');
    const split = await t
      .http()
      .post(`/api/cases/${first.id}/split`)
      .set('Authorization', `Bearer ${sup}`)
      .send({ reportId: second.body.report.id });
    expect(split.status).toBe(201);
    expect(split.body.case.id).not.toBe(first.id);
    const [orig] = await t.services.database.db.select().from(cases).where(eq(cases.id, first.id));
    expect(orig.duplicateCount).toBe(0);
    const [moved] = await t.services.database.db.select().from(reports).where(eq(reports.id, second.body.report.id));
    expect(moved.caseId).toBe(split.body.case.id);
    const again = await t
      .http()
      .post(`/api/cases/${first.id}/split`)
      .set('Authorization', `Bearer ${sup}`)
      .send({ reportId: second.body.report.id });
    expect(again.status).toBe(404);
  });
});

describe('routing', () => {
  it('prefers a 小类 rule over a 大类 rule and a street rule over anywhere', async () => {
    // 燃气井盖 has its own urgent rule; 200101 私搭乱建 goes to the street's 执法中队.
    const gas = await fileReport(t, agent, {
      categoryCode: '100111',
      location: north(places.huPan, 2500),
      text: '燃气井盖松动有异味',
    });
    const detail = await t.http().get(`/api/cases/${gas.id}`).set('Authorization', `Bearer ${agent}`);
    expect(detail.body.case.priority).toBe('紧急');
    const build = await fileReport(t, agent, {
      categoryCode: '200101',
      location: north(places.wenChang, 5000),
      text: '楼顶有人在违章搭建',
    });
    const d2 = await t.http().get(`/api/cases/${build.id}`).set('Authorization', `Bearer ${agent}`);
    expect(d2.body.case.department.name).toBe('西城街道城管执法中队');
  });

  it('refuses a rule that ties with an existing one and names it', async () => {
    const admin = await t.login('admin');
    const [existing] = await t.services.database.db
      .select()
      .from(routingRules)
      .where(eq(routingRules.categoryCode, '1001'));
    const res = await t
      .http()
      .post('/api/routing-rules')
      .set('Authorization', `Bearer ${admin}`)
      .send({ categoryCode: '1001', areaId: null, departmentId: 1, deadlineHours: 24 });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('rule_conflict');
    expect(res.body.error.message).toContain(`#${existing.id}`);
    const bad = await t
      .http()
      .post('/api/routing-rules')
      .set('Authorization', `Bearer ${admin}`)
      .send({ categoryCode: 'nope', departmentId: 1, deadlineHours: 24 });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('unknown_category');
    const ok = await t
      .http()
      .post('/api/routing-rules')
      .set('Authorization', `Bearer ${admin}`)
      .send({ categoryCode: '100305', areaId: null, departmentId: 1, deadlineHours: 12, deadlineType: 'calendar' });
    expect(ok.status).toBe(201);
    const agentTry = await t
      .http()
      .post('/api/routing-rules')
      .set('Authorization', `Bearer ${agent}`)
      .send({ categoryCode: '100306', departmentId: 1, deadlineHours: 12 });
    expect(agentTry.status).toBe(403);
  });
});

describe('automatic dispatch (AUTO_DISPATCH=true)', () => {
  let auto: TestContext;
  beforeAll(async () => {
    auto = await createTestContext({ env: { AUTO_DISPATCH: 'true' } });
  });
  afterAll(() => auto.close());

  it('dispatches a case it registered at intake, after its number, with the whole history and the dispatch job', async () => {
    const token = await auto.login('agent');
    const c = await fileReport(auto, token, { location: north(places.wenChang, 300) });
    expect(c.state).toBe('派遣');
    expect(c.caseNo).toMatch(/^\d{13}$/);
    expect(c.version).toBe(3);
    expect(c.department?.id).toBeTruthy();
    const history = await auto.services.database.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.caseId, c.id))
      .orderBy(caseEvents.id);
    expect(history.map((e) => [e.action, e.toState])).toEqual([
      ['received', '受理'],
      ['register', '立案'],
      ['dispatch', '派遣'],
    ]);
    const { rows } = await auto.services.database.executor.executeSql(
      `select data->>'action' as action from pgboss.job where name = 'case-transitioned' and data->>'caseId' = $1`,
      [c.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['dispatch']);
  });
});
