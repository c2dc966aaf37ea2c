import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { buildReport, fileReport, north, places, transition } from '../helpers/factories.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workingMinutesBetween } from '../../server/cases/calendar.js';
import { migrationsFolder } from '../../server/db/client.js';

let t: TestContext;
const tok: Record<string, string> = {};
let offset = 0;
const spot = () => north(places.wangJiang, 400 + 200 * offset++);

beforeAll(async () => {
  t = await createTestContext();
  for (const u of ['agent', 'supervisor'] as const) tok[u] = await t.login(u);
});
afterAll(() => t.close());

const post = (body: Record<string, unknown>) =>
  t.http().post('/api/reports').set('Authorization', `Bearer ${tok.agent}`).send(body);
const detail = (id: string) => t.http().get(`/api/cases/${id}`).set('Authorization', `Bearer ${tok.supervisor}`);
const inbox = (name: string) => t.http().get(`/api/inboxes/${name}`).set('Authorization', `Bearer ${tok.supervisor}`);

describe('intake at the desk', () => {
  it('takes 紧急 as 紧急: a shorter 指挥手册 time limit than 一般 for the same category', async () => {
    const urgent = await post({ ...buildReport({ location: spot() }), urgency: '紧急' });
    const usual = await post({ ...buildReport({ location: spot() }), urgency: '一般' });
    expect(urgent.status).toBe(201);
    expect(urgent.body.case.priority).toBe('紧急');
    expect(usual.body.case.priority).toBe('一般');
    const a = await transition(t, tok.supervisor, urgent.body.case.id, { action: 'dispatch' });
    const b = await transition(t, tok.supervisor, usual.body.case.id, { action: 'dispatch' });
    // From each case's own dispatch; the deadline is taken from the service's clock, updatedAt from the database's.
    const minutes = (c: { updatedAt: string; deadlineAt: string }) =>
      Math.round(workingMinutesBetween(new Date(c.updatedAt), new Date(c.deadlineAt), t.services.calendar));
    // 1001 is 48 working hours in the demo 指挥手册; 紧急 is a quarter of it.
    expect(minutes(b.body.case)).toBe(48 * 60);
    expect(minutes(a.body.case)).toBe(12 * 60);
  });

  it('refuses an urgency it does not know with a 400 naming the field', async () => {
    const r = await post({ ...buildReport({ location: spot() }), urgency: '特急' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^urgency/);
  });

  it('keeps the citizen’s name when no phone number was given', async () => {
    const r = await post({ ...buildReport({ location: spot() }), name: '张阿姨' });
    expect(r.status).toBe(201);
    const d = await detail(r.body.case.id);
    expect(d.body.reporter).toMatchObject({ name: '张阿姨', phoneMasked: null });
  });

  it('sends vague text to 待审核 even when a category was picked for it', async () => {
    const r = await post({ ...buildReport({ location: spot() }), text: '喂你好我想反映个事情就是那个' });
    expect(r.status).toBe(201);
    expect(r.body.case.state).toBe('受理');
    expect(r.body.case.needsReview).toBe(true);
    const list = await inbox('review');
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(r.body.case.id);
  });

  it('records a 咨询 and closes it with the answer on the spot, never dispatched', async () => {
    const r = await post({
      ...buildReport({ location: null, categoryCode: undefined }),
      categoryCode: undefined,
      text: '请问我们小区的垃圾什么时候分类投放',
      consultation: { answer: '每天 7:00-9:00、18:00-20:00 定时定点投放' },
    });
    expect(r.status).toBe(201);
    expect(r.body.case).toMatchObject({ state: '结案', kind: '咨询', department: null, deadlineAt: null });
    // A real case number (never the provisional stand-in), as for any other case.
    expect(r.body.case.caseNo).toMatch(/^\d{13,14}$/);
    const d = await detail(r.body.case.id);
    const answered = d.body.events.find((e: { action: string }) => e.action === 'answer');
    expect(answered).toMatchObject({ actionLabel: '咨询答复', fromState: '受理', toState: '结案' });
    expect(answered.note).toBe('每天 7:00-9:00、18:00-20:00 定时定点投放');
    expect(d.body.events.map((e: { action: string }) => e.action)).not.toContain('dispatch');
    expect(d.body.allowedActions).toEqual([]);
  });

  it('numbers the 咨询 cases an earlier release left with a provisional number (migration 0020)', async () => {
    const consult = () =>
      post({
        ...buildReport({ location: null, categoryCode: undefined }),
        categoryCode: undefined,
        text: '请问大件垃圾怎么预约清运',
        consultation: { answer: '拨打 12319 预约' },
      });
    // Three answered questions as the old release stored them: two on a day whose counter is at 7, one on a day without one.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await consult()).body.case.id);
    const at = ['2025-03-01T23:30:00+08:00', '2025-03-01T08:00:00+08:00', '2025-03-02T00:10:00+08:00'];
    const sql = t.services.database.executor;
    for (const [i, id] of ids.entries())
      await sql.executeSql(`update cases set case_no = 'pending:${id}', created_at = '${at[i]}' where id = '${id}'`);
    await sql.executeSql(`insert into case_counters (day, last) values ('20250301', 7)`);
    const migration = readFileSync(path.join(migrationsFolder, '0020_number_consultations.sql'), 'utf8');
    await sql.executeSql(migration);
    const numbers = await Promise.all(ids.map(async (id) => (await detail(id)).body.case.caseNo));
    // In the order received within each day, after the day's last number.
    expect(numbers).toEqual(['2025030100009', '2025030100008', '2025030200001']);
    const { rows } = await sql.executeSql(`select day, last from case_counters where day like '202503%' order by day`);
    expect(rows).toEqual([
      { day: '20250301', last: 9 },
      { day: '20250302', last: 1 },
    ]);
  });

  it('refuses a 咨询 without an answer, and stores nothing', async () => {
    const body = { ...buildReport({ location: spot() }), consultation: { answer: ' ' } };
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^consultation\.answer/);
    const again = await post({ ...body, consultation: undefined });
    expect(again.status).toBe(201);
  });

  it('finds a citizen’s cases by phone number, and exports in Beijing time with Chinese labels', async () => {
    const phone = '13800138017';
    const r = await post({ ...buildReport({ location: spot(), phone }), channel: 'hotline' });
    expect(r.status).toBe(201);
    const found = await t.http().get(`/api/cases?q=${phone}`).set('Authorization', `Bearer ${tok.supervisor}`);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([r.body.case.id]);
    const csv = await t.http().get(`/api/cases.csv?q=${phone}`).set('Authorization', `Bearer ${tok.supervisor}`);
    const [header, row] = csv.text.slice(1).split('\r\n');
    const cells = row.split(',');
    const col = (name: string) => cells[header.split(',').indexOf(name)];
    expect(col('渠道')).toBe('热线电话');
    const created = new Date(r.body.case.createdAt);
    const local = new Date(created.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(col('受理时间')).toBe(local);
    expect(csv.text).not.toContain(phone);
  });

  it('files the day’s ordinary case as before', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    expect(c.state).toBe('立案');
  });
});
