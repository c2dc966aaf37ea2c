import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, north, places, transition } from '../helpers/factories.js';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { cases } from '../../server/db/schema.js';
import { openStream } from '../helpers/sse.js';
import { until } from '../helpers/wait.js';

let t: TestContext;
const tok: Record<string, string> = {};
let offset = 0;
const spot = () => north(places.wenChang, 300 + 200 * offset++);

beforeAll(async () => {
  t = await createTestContext();
  for (const u of ['agent', 'supervisor', 'szss', 'srhw'] as const) tok[u] = await t.login(u);
});
afterAll(() => t.close());

const detail = (id: string, who = 'supervisor') =>
  t.http().get(`/api/cases/${id}`).set('Authorization', `Bearer ${tok[who]}`);
const inbox = (name: string, who: string) =>
  t.http().get(`/api/inboxes/${name}`).set('Authorization', `Bearer ${tok[who]}`);
const ids = (r: { body: { items: Array<{ id: string }> } }) => r.body.items.map((c) => c.id);

async function dispatched() {
  const c = await fileReport(t, tok.agent, { location: spot() });
  const r = await transition(t, tok.supervisor, c.id, { action: 'dispatch' });
  expect(r.status).toBe(200);
  return r.body.case as { id: string; caseNo: string };
}

describe('inboxes', () => {
  it('moves a case through 待派遣 → 待签收 → 处置中 → 待核查, each list its role’s only', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    expect(ids(await inbox('dispatch', 'supervisor'))).toContain(c.id);
    expect((await inbox('dispatch', 'szss')).status).toBe(404);
    await transition(t, tok.supervisor, c.id, { action: 'dispatch' });
    expect(ids(await inbox('dispatch', 'supervisor'))).not.toContain(c.id);
    const accept = await inbox('accept', 'szss');
    const row = accept.body.items.find((x: { id: string }) => x.id === c.id);
    expect(row.allowedActions).toEqual(['accept', 'return', 'request_extension']);
    // Another department's inbox never shows it.
    expect(ids(await inbox('accept', 'srhw'))).not.toContain(c.id);
    await transition(t, tok.szss, c.id, { action: 'accept' });
    expect(ids(await inbox('working', 'szss'))).toContain(c.id);
    await transition(t, tok.szss, c.id, { action: 'resolve', note: '已修复' });
    expect(ids(await inbox('check', 'supervisor'))).toContain(c.id);
  });

  it('sorts by deadline, the nearest first', async () => {
    const a = await dispatched();
    const b = await dispatched();
    await t.services.database.db
      .update(cases)
      .set({ deadlineAt: new Date(Date.now() + 3600_000) })
      .where(eq(cases.id, b.id));
    const list = ids(await inbox('accept', 'szss'));
    expect(list.indexOf(b.id)).toBeLessThan(list.indexOf(a.id));
  });

  it('counts each role’s inboxes', async () => {
    const r = await t.http().get('/api/inboxes').set('Authorization', `Bearer ${tok.szss}`);
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { label: string }) => i.label)).toEqual([
      '待签收',
      '处置中',
      '即将超期',
      '已超期',
      '催办',
    ]);
    const accept = r.body.items.find((i: { name: string }) => i.name === 'accept');
    expect(accept.count).toBe((await inbox('accept', 'szss')).body.items.length);
  });

  it('lists a case with no location in 待分拨, not 待立案', async () => {
    const c = await fileReport(t, tok.agent, { location: null, address: '一个找不到的地方' });
    expect(c.state).toBe('受理');
    expect(ids(await inbox('triage', 'agent'))).toContain(c.id);
    expect(ids(await inbox('register', 'agent'))).not.toContain(c.id);
  });

  it('refuses an inbox that does not exist with a 400', async () => {
    const r = await inbox('nothing', 'supervisor');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
  });
});

describe('live counts', () => {
  let server: Server;
  beforeAll(() => {
    server = t.app.listen(0, '127.0.0.1');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pushes a department’s new 待签收 count when a case is dispatched to it', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    const { port } = server.address() as AddressInfo;
    const stream = openStream(`http://127.0.0.1:${port}/api/inboxes/stream`, tok.szss);
    try {
      await stream.ready;
      const acceptCount = (e: { data: { items: Array<{ name: string; count: number }> } }) =>
        e.data.items.find((i) => i.name === 'accept')!.count;
      await until(() => stream.events.length > 0, 20_000, 'first counts');
      const before = acceptCount(stream.events[0]);
      await transition(t, tok.supervisor, c.id, { action: 'dispatch' });
      await until(
        () => stream.events.some((e) => e.event === 'inbox-counts' && acceptCount(e) === before + 1),
        20_000,
        'the pushed count',
      );
    } finally {
      stream.close();
    }
  });
});

describe('supervision', () => {
  it('催办: a note on the timeline, the department’s 催办 inbox, the count on the case; cleared at 处置完毕', async () => {
    const c = await dispatched();
    const noNote = await transition(t, tok.supervisor, c.id, { action: 'urge' });
    expect(noNote.status).toBe(400);
    const r = await transition(t, tok.supervisor, c.id, { action: 'urge', note: '市民再次来电，请今天处理' });
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({ state: '派遣', urgeCount: 1 });
    expect(ids(await inbox('urged', 'szss'))).toContain(c.id);
    const d = await detail(c.id, 'szss');
    const urged = d.body.events.at(-1);
    expect(urged).toMatchObject({ action: 'urge', actionLabel: '催办', note: '市民再次来电，请今天处理' });
    expect((await transition(t, tok.szss, c.id, { action: 'urge', note: 'x' })).status).toBe(403);
    await transition(t, tok.szss, c.id, { action: 'accept' });
    await transition(t, tok.szss, c.id, { action: 'resolve', note: '已处理' });
    expect(ids(await inbox('urged', 'szss'))).not.toContain(c.id);
  });

  it('offers 批准延期 / 驳回延期 only while a request is pending', async () => {
    const c = await dispatched();
    expect((await detail(c.id)).body.allowedActions).not.toContain('approve_extension');
    await transition(t, tok.szss, c.id, { action: 'request_extension', hours: 8, note: '需要调配设备' });
    const pending = await detail(c.id);
    expect(pending.body.allowedActions).toEqual(expect.arrayContaining(['approve_extension', 'refuse_extension']));
    expect((await detail(c.id, 'szss')).body.allowedActions).not.toContain('request_extension');
    await transition(t, tok.supervisor, c.id, { action: 'approve_extension' });
    expect((await detail(c.id)).body.allowedActions).not.toContain('approve_extension');
  });

  it('names each step once: the label offered is the label the timeline shows', async () => {
    const c = await dispatched();
    const before = await detail(c.id, 'szss');
    expect(before.body.actionLabels.accept).toBe('签收');
    await transition(t, tok.szss, c.id, { action: 'accept' });
    const after = await detail(c.id, 'szss');
    expect(after.body.events.at(-1).actionLabel).toBe(before.body.actionLabels.accept);
  });

  it('after 返工 the deadline restarts from the 返工 and the count shows', async () => {
    const c = await dispatched();
    await transition(t, tok.szss, c.id, { action: 'accept' });
    await transition(t, tok.szss, c.id, { action: 'resolve', note: '已修复' });
    await transition(t, tok.supervisor, c.id, { action: 'check_pass' });
    const old = new Date(Date.now() - 86_400_000);
    await t.services.database.db
      .update(cases)
      .set({ deadlineAt: old, deadlineStatus: '已超期' })
      .where(eq(cases.id, c.id));
    const r = await transition(t, tok.supervisor, c.id, { action: 'rework', note: '市民反映仍未修好' });
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({ state: '处置中', reworkCount: 1, deadlineStatus: '正常' });
    expect(new Date(r.body.case.deadlineAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('并案 moves the reports into the other case, which records it; 拆分 is then offered there and works', async () => {
    const keep = await fileReport(t, tok.agent, { location: spot() });
    const dup = await fileReport(t, tok.agent, { location: spot(), text: '东湖路井盖丢了' });
    expect((await detail(keep.id)).body.allowedActions).not.toContain('split');
    expect(
      (await transition(t, tok.agent, dup.id, { action: 'merge', mergeInto: keep.id, note: '同一井盖' })).status,
    ).toBe(403);
    const self = await transition(t, tok.supervisor, dup.id, { action: 'merge', mergeInto: dup.id, note: '同一' });
    expect(self.status).toBe(409);
    const r = await transition(t, tok.supervisor, dup.id, { action: 'merge', mergeInto: keep.id, note: '同一井盖' });
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({ state: '已并案', mergedInto: keep.id });
    const target = await detail(keep.id);
    expect(target.body.case.duplicateCount).toBe(1);
    expect(target.body.events.at(-1)).toMatchObject({ action: 'merged_in', actionLabel: '并案' });
    expect(target.body.allowedActions).toContain('split');
    expect(target.body.actionLabels.split).toBe('拆分');
    const moved = target.body.reports.find((x: { disposition: string }) => x.disposition === 'duplicate');
    const split = await t
      .http()
      .post(`/api/cases/${keep.id}/split`)
      .set('Authorization', `Bearer ${tok.supervisor}`)
      .send({ reportId: moved.id });
    expect(split.status).toBe(201);
    expect((await detail(keep.id)).body.allowedActions).not.toContain('split');
  });
});
