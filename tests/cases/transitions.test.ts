import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, north, places, transition } from '../helpers/factories.js';
import { auditLog, caseEvents, cases } from '../../server/db/schema.js';
import { sweepDeadlines } from '../../server/cases/deadlines.js';

let t: TestContext;
const tok: Record<string, string> = {};
let offset = 0;
const spot = () => north(places.huPan, 300 + 150 * offset++);

beforeAll(async () => {
  t = await createTestContext();
  for (const u of ['agent', 'supervisor', 'szss', 'srhw', 'admin'] as const) tok[u] = await t.login(u);
});
afterAll(() => t.close());

async function dispatched() {
  const c = await fileReport(t, tok.agent, { location: spot() });
  const r = await transition(t, tok.supervisor, c.id, { action: 'dispatch' });
  expect(r.status).toBe(200);
  return r.body.case;
}

describe('the full lifecycle over HTTP', () => {
  it('walks 立案 → 派遣 → 处置中 → 已处置 → 核查 → 回访 → 结案 (override) with a truthful history', async () => {
    const c = await dispatched();
    expect(c.state).toBe('派遣');
    expect(c.deadlineAt).not.toBeNull();
    expect((await transition(t, tok.szss, c.id, { action: 'accept' })).body.case.state).toBe('处置中');
    const resolved = await transition(t, tok.szss, c.id, { action: 'resolve', note: '已更换新井盖' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.case.state).toBe('核查');
    expect((await transition(t, tok.supervisor, c.id, { action: 'check_pass' })).body.case.state).toBe('回访');
    const noSurvey = await transition(t, tok.supervisor, c.id, { action: 'close' });
    expect(noSurvey.status).toBe(409);
    expect(noSurvey.body.error.code).toBe('survey_required');
    const closed = await transition(t, tok.supervisor, c.id, { action: 'close', note: '市民电话停机，多次联系不上' });
    expect(closed.body.case.state).toBe('结案');
    const detail = await t.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${tok.supervisor}`);
    const steps = detail.body.events.map((e: any) => `${e.action}:${e.fromState ?? ''}>${e.toState}`);
    expect(steps).toEqual([
      'received:>受理',
      'register:受理>立案',
      'dispatch:立案>派遣',
      'accept:派遣>处置中',
      'resolve:处置中>已处置',
      'submit_check:已处置>核查',
      'check_pass:核查>回访',
      'close:回访>结案',
    ]);
    expect(detail.body.events.at(-1).data.override).toBe(true);
    expect(detail.body.events[3].actor.name).toBe('市政设施处 王工');
  });

  it('refuses illegal transitions with 409 and a stable code', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    const r = await transition(t, tok.supervisor, c.id, { action: 'check_pass' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('illegal_transition');
  });

  it('refuses actions a role may not take with 403', async () => {
    const c = await dispatched();
    const agentAccept = await transition(t, tok.agent, c.id, { action: 'accept' });
    expect(agentAccept.status).toBe(403);
    // Another department cannot see, let alone act on, this case.
    const other = await transition(t, tok.srhw, c.id, { action: 'accept', version: c.version });
    expect(other.status).toBe(404);
    const deptDispatch = await transition(t, tok.szss, c.id, { action: 'dispatch' });
    expect(deptDispatch.status).toBe(409);
  });

  it('requires a note where the rules say so', async () => {
    const c = await dispatched();
    const r = await transition(t, tok.szss, c.id, { action: 'return' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^note:/);
  });

  it('lets a department return a wrong dispatch, and it is dispatched again', async () => {
    const c = await dispatched();
    const back = await transition(t, tok.szss, c.id, { action: 'return', note: '不是我们的设施' });
    expect(back.body.case.state).toBe('立案');
    expect(back.body.case.department).toBeNull();
    const noDept = await transition(t, tok.supervisor, c.id, { action: 'dispatch' });
    expect(noDept.status).toBe(422);
    expect(noDept.body.error.code).toBe('no_department');
    const again = await transition(t, tok.supervisor, c.id, { action: 'dispatch', departmentId: 1 });
    expect(again.body.case.department.name).toBe('市容环境卫生管理所');
  });

  it('handles an extension: request, approve moves the deadline, a second request waits for a decision', async () => {
    const c = await dispatched();
    const before = new Date(c.deadlineAt).getTime();
    const req = await transition(t, tok.szss, c.id, { action: 'request_extension', hours: 8, note: '需要等配件' });
    expect(req.body.case.pendingExtension.hours).toBe(8);
    const twice = await transition(t, tok.szss, c.id, { action: 'request_extension', hours: 8, note: '再申请' });
    expect(twice.status).toBe(409);
    const ok = await transition(t, tok.supervisor, c.id, { action: 'approve_extension' });
    expect(ok.status).toBe(200);
    expect(new Date(ok.body.case.deadlineAt).getTime()).toBeGreaterThan(before);
    expect(ok.body.case.pendingExtension).toBeNull();
    const refuseNothing = await transition(t, tok.supervisor, c.id, { action: 'refuse_extension', note: 'x' });
    expect(refuseNothing.status).toBe(409);
  });

  it('counts 返工 and 挂账 with reasons', async () => {
    const c = await dispatched();
    await transition(t, tok.szss, c.id, { action: 'accept' });
    await transition(t, tok.szss, c.id, { action: 'resolve', note: '处理完毕' });
    await transition(t, tok.supervisor, c.id, { action: 'check_pass' });
    const rw = await transition(t, tok.supervisor, c.id, { action: 'rework', note: '市民反映井盖仍松动' });
    expect(rw.body.case.state).toBe('处置中');
    expect(rw.body.case.reworkCount).toBe(1);
    const parked = await transition(t, tok.supervisor, c.id, { action: 'park', note: '需要整体改造，纳入明年计划' });
    expect(parked.body.case.state).toBe('挂账');
  });

  it('transfers a 非城管 case to its agency', async () => {
    const c = await fileReport(t, tok.agent, {
      categoryCode: '990001',
      text: '公司拖欠我三个月工资不给',
      location: spot(),
    });
    expect(c.state).toBe('受理');
    const detail = await t.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${tok.agent}`);
    expect(detail.body.case.transferAgency).toBe('人社');
    expect(detail.body.allowedActions).toContain('transfer');
    const r = await transition(t, tok.agent, c.id, { action: 'transfer' });
    expect(r.body.case.state).toBe('转办');
  });
});

describe('concurrency', () => {
  it('lets only one of two simultaneous actions win; the other gets stale_version', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    const detail = await t.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${tok.supervisor}`);
    const version = detail.body.case.version;
    const [a, b] = await Promise.all([
      transition(t, tok.supervisor, c.id, { action: 'dispatch', version }),
      transition(t, tok.admin, c.id, { action: 'park', note: '挂账', version }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.code).toBe('stale_version');
    const events = await t.services.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id));
    expect(events.filter((e) => e.action === 'dispatch' || e.action === 'park')).toHaveLength(1);
  });

  it('refuses a transition carrying an old version', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    const r = await transition(t, tok.supervisor, c.id, { action: 'dispatch', version: c.version - 1 });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('stale_version');
  });
});

describe('deadlines', () => {
  it('marks 即将超期 and 已超期 once each, with a history row', async () => {
    const c = await dispatched();
    const db = t.services.database.db;
    await db
      .update(cases)
      .set({ deadlineAt: new Date(Date.now() + 30 * 60_000) })
      .where(eq(cases.id, c.id));
    await sweepDeadlines(t.services);
    let [row] = await db.select().from(cases).where(eq(cases.id, c.id));
    expect(row.deadlineStatus).toBe('即将超期');
    await db
      .update(cases)
      .set({ deadlineAt: new Date(Date.now() - 60_000) })
      .where(eq(cases.id, c.id));
    await sweepDeadlines(t.services);
    await sweepDeadlines(t.services);
    [row] = await db.select().from(cases).where(eq(cases.id, c.id));
    expect(row.deadlineStatus).toBe('已超期');
    const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id));
    expect(events.filter((e) => e.action === 'overdue')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'deadline_warning')).toHaveLength(1);
    const list = await t
      .http()
      .get('/api/cases?deadlineStatus=已超期')
      .set('Authorization', `Bearer ${tok.supervisor}`);
    expect(list.body.items.map((x: any) => x.id)).toContain(c.id);
  });
});

describe('citizens: masking and the unmask audit', () => {
  it('shows a masked number, reveals it on request and writes who saw it', async () => {
    const c = await fileReport(t, tok.agent, { phone: '13566667777', location: spot() });
    const detail = await t.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${tok.agent}`);
    expect(JSON.stringify(detail.body)).not.toContain('13566667777');
    expect(detail.body.reporter.phoneMasked).toBe('135****7777');
    const citizenId = detail.body.reporter.id;
    const dept = await t.http().post(`/api/citizens/${citizenId}/unmask`).set('Authorization', `Bearer ${tok.szss}`);
    expect(dept.status).toBe(403);
    const shown = await t.http().post(`/api/citizens/${citizenId}/unmask`).set('Authorization', `Bearer ${tok.agent}`);
    expect(shown.body.phone).toBe('13566667777');
    const audit = await t.services.database.db.select().from(auditLog).where(eq(auditLog.targetId, citizenId));
    expect(audit).toHaveLength(1);
    expect(audit[0].action).toBe('citizen.unmask');
    const timeline = await t
      .http()
      .get(`/api/citizens/${citizenId}/timeline`)
      .set('Authorization', `Bearer ${tok.agent}`);
    expect(timeline.body.items[0]).toMatchObject({ type: 'report', caseNo: c.caseNo });
  });
});

describe('lists', () => {
  it('filters, paginates and exports CSV; department staff see only their own', async () => {
    const page = await t.http().get('/api/cases?pageSize=2&page=1').set('Authorization', `Bearer ${tok.supervisor}`);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    const dept = await t.http().get('/api/cases?pageSize=200').set('Authorization', `Bearer ${tok.szss}`);
    expect(dept.body.items.length).toBeGreaterThan(0);
    expect(dept.body.items.every((x: any) => x.department?.name === '市政设施管理处')).toBe(true);
    const csv = await t.http().get('/api/cases.csv?state=派遣,处置中').set('Authorization', `Bearer ${tok.supervisor}`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text.split('\r\n')[0]).toContain('案件编号');
    const bad = await t.http().get('/api/cases?deadlineStatus=soon').set('Authorization', `Bearer ${tok.supervisor}`);
    expect(bad.status).toBe(400);
  });
});
