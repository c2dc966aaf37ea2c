import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { backend } from '../helpers/db.js';
import { fileReport, north, places, transition } from '../helpers/factories.js';
import { until } from '../helpers/wait.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { publicCaseAnswer, publicCaseCacheOf } from '../../server/cases/publicLookup.js';

/**
 * The public status read answers from a per-instance cache; any change to a case, made on any
 * instance, is on the next read.
 */
let t: TestContext;
const tok: Record<string, string> = {};
let offset = 0;
const spot = () => north(places.huPan, 400 + 170 * offset++);

/** Case ids announced by the database (the cache hears them before we do: it listened first). */
const heard: string[] = [];

beforeAll(async () => {
  t = await createTestContext({ jobs: false });
  for (const u of ['agent', 'supervisor', 'szss'] as const) tok[u] = await t.login(u);
  await publicCaseCacheOf(t.services).ready();
  await t.services.database.listen('cg_public_case', (id) => heard.push(id));
});
afterAll(() => t?.close());

interface PublicAnswer {
  caseNo: string;
  state: string;
  closedAt: string | null;
  timeline: Array<{ label: string }>;
}

async function pub(caseNo: string) {
  const res = await t.http().get(`/api/public/cases/${caseNo}`);
  expect(res.status).toBe(200);
  return res.body as PublicAnswer;
}

/** Waits until the database has told every listener (the cache first) of the case's last change. */
async function announced(caseId: string) {
  await until(() => heard.includes(caseId), 10_000, 'the change announced');
  heard.splice(0, heard.length, ...heard.filter((id) => id !== caseId));
}

const SNEAKED = '2001-01-01T00:00:00.000Z';

/** Changes a case with the triggers off, as no code path of ours does: only a cached answer hides it. */
async function behindTheCache(database: Database, caseId: string) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`update cases set closed_at = ${SNEAKED} where id = ${caseId}`);
  });
}

async function step(caseId: string, token: string, body: Record<string, unknown>) {
  const res = await transition(t, token, caseId, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.case as { state: string };
}

describe('the public status read', () => {
  it('is answered from the cache while nothing announced a change', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    await announced(c.id);
    expect((await pub(c.caseNo)).closedAt).toBeNull();
    await behindTheCache(t.services.database, c.id);
    expect((await pub(c.caseNo)).closedAt).toBeNull();
  });

  it('shows every transition on the next read: 派遣, 处置, 返工, 结案', async () => {
    const c = await fileReport(t, tok.agent, { location: spot() });
    await announced(c.id);
    const steps: Array<[string, Record<string, unknown>, string]> = [
      [tok.supervisor, { action: 'dispatch' }, '已派遣'],
      [tok.szss, { action: 'accept' }, '处置中'],
      [tok.szss, { action: 'resolve', note: '已更换井盖' }, '已处置'],
      [tok.supervisor, { action: 'check_pass' }, '待回访'],
      [tok.supervisor, { action: 'rework', note: '市民反映仍松动' }, '返工处理'],
      [tok.szss, { action: 'resolve', note: '已重新固定' }, '已处置'],
      [tok.supervisor, { action: 'check_pass' }, '待回访'],
      [tok.supervisor, { action: 'close', note: '多次联系不上' }, '已结案'],
    ];
    for (const [token, body, label] of steps) {
      const before = await pub(c.caseNo);
      await behindTheCache(t.services.database, c.id);
      expect(await pub(c.caseNo)).toEqual(before); // held in the cache
      const after = await step(c.id, token, body);
      const seen = await pub(c.caseNo);
      expect(seen.state).toBe(after.state);
      expect(seen.timeline.at(-1)?.label).toContain(label);
      await announced(c.id);
    }
  });

  it('shows a merge on both cases, and never another case or a hidden field', async () => {
    const keep = await fileReport(t, tok.agent, { location: spot(), text: '东湖路井盖丢了，晚上很危险' });
    const dup = await fileReport(t, tok.agent, { location: spot(), text: '东湖路井盖没了，电话13800001111' });
    for (const c of [keep, dup]) {
      await announced(c.id);
      expect((await pub(c.caseNo)).caseNo).toBe(c.caseNo);
    }
    await step(dup.id, tok.supervisor, { action: 'merge', mergeInto: keep.id, note: '同一井盖' });
    const [k, d] = [await pub(keep.caseNo), await pub(dup.caseNo)];
    expect(k.caseNo).toBe(keep.caseNo);
    expect(k.timeline.map((e) => e.label)).toContain('已合并相同问题的反映');
    expect(d.caseNo).toBe(dup.caseNo);
    expect(d.state).toBe('已并案');
    const text = JSON.stringify([k, d]);
    for (const hidden of ['13800001111', '东湖路井盖', 'reporter', 'phone', 'lat']) expect(text).not.toContain(hidden);
  });
});

describe.runIf(backend === 'postgres')('the public status read on another instance', () => {
  it('drops its answer when a case changes on this one', async () => {
    const other = await openDatabase({ url: (t.services.database as Database & { url: string }).url, poolMax: 2 });
    try {
      const services = { ...t.services, database: other };
      await publicCaseCacheOf(services).ready();
      const heard: string[] = [];
      await other.listen('cg_public_case', (id) => heard.push(id));
      const read = async (caseNo: string) => JSON.parse((await publicCaseAnswer(services, caseNo))!) as PublicAnswer;

      const c = await fileReport(t, tok.agent, { location: spot() });
      await until(() => heard.includes(c.id), 10_000, 'the filing announced to the other instance');
      const before = await read(c.caseNo);
      await behindTheCache(t.services.database, c.id);
      expect(await read(c.caseNo)).toEqual(before);

      heard.length = 0;
      const after = await step(c.id, tok.supervisor, { action: 'dispatch' });
      await until(() => heard.includes(c.id), 10_000, 'the change announced to the other instance');
      const seen = await read(c.caseNo);
      expect(seen.state).toBe(after.state);
      expect(seen.closedAt).toBe(SNEAKED);
    } finally {
      await other.close();
    }
  });
});
