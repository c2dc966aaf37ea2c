import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, north, places } from '../helpers/factories.js';
import { caseCounters, cases } from '../../server/db/schema.js';
import { eachCase } from '../../server/cases/queries.js';
import { localDate } from '../../server/cases/calendar.js';

let t: TestContext;
let agent: string;
let supervisor: string;
let offset = 0;
const spot = () => north(places.wangJiang, 400 + 200 * offset++);

beforeAll(async () => {
  t = await createTestContext({ jobs: false });
  agent = await t.login('agent');
  supervisor = await t.login('supervisor');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const get = (path: string) => t.http().get(path).set('Authorization', `Bearer ${supervisor}`);

describe('case numbers', () => {
  it('takes a number only for a new case: a merged duplicate uses none', async () => {
    const where = spot();
    const first = await fileReport(t, agent, { location: where });
    await fileReport(t, agent, { location: where, text: '这里的井盖丢了，还是没人管' });
    const next = await fileReport(t, agent, { location: spot() });
    expect(BigInt(next.caseNo) - BigInt(first.caseNo)).toBe(1n);
  });

  it('goes on past 99,999 in a day with a sixth digit', async () => {
    const day = localDate(new Date()).replaceAll('-', '');
    const db = t.services.database.db;
    const [{ last }] = await db.select({ last: caseCounters.last }).from(caseCounters);
    await db.execute(sql`update case_counters set last = 99999 where day = ${day}`);
    const c = await fileReport(t, agent, { location: spot() });
    expect(c.caseNo).toBe(`${day}100000`);
    // The citizen's status lookup takes the longer number too.
    const pub = await t.http().get(`/api/public/cases/${c.caseNo}`);
    expect(pub.status).toBe(200);
    await db.execute(sql`update case_counters set last = ${last + 10} where day = ${day}`);
  });
});

describe('search', () => {
  it('finds a case by its number, by the reporter phone and by a two-character word', async () => {
    const c = await fileReport(t, agent, {
      location: spot(),
      phone: '13900001111',
      text: '小区门口的路灯坏了三天了，晚上很黑',
      address: '望江路9号',
    });
    const byNo = await get(`/api/cases?q=${c.caseNo}`);
    expect(byNo.body.items.map((x: any) => x.id)).toEqual([c.id]);
    const byPhone = await get('/api/cases?q=139-0000-1111');
    expect(byPhone.body.items.map((x: any) => x.id)).toEqual([c.id]);
    const byWord = await get(`/api/cases?q=${encodeURIComponent('路灯')}`);
    expect(byWord.body.items.map((x: any) => x.id)).toContain(c.id);
    const oneChar = await get(`/api/cases?q=${encodeURIComponent('黑')}`);
    expect(oneChar.body.items.map((x: any) => x.id)).toContain(c.id);
    const none = await get(`/api/cases?q=${encodeURIComponent('灯路')}`);
    expect(none.body.items.map((x: any) => x.id)).not.toContain(c.id);
  });
});

describe('lists and exports', () => {
  beforeAll(async () => {
    // Enough cases for several pages and export batches, written as the service writes them.
    const db = t.services.database.db;
    await db.execute(sql`
      insert into cases (case_no, state, channel, title, description, created_at)
      select 'L' || lpad(g::text, 6, '0'), '受理', 'agent', '批量案件', '批量', timestamptz '2026-06-01 12:00+08' + g * interval '1 minute'
      from generate_series(1, 2500) g`);
  }, 120_000);

  it('pages by cursor through every case once, and counts no further than the cap', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: any = await get(`/api/cases?pageSize=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      for (const x of r.body.items) seen.add(x.id);
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    const [{ n }] = await t.services.database.db.select({ n: sql<number>`count(*)::int` }).from(cases);
    expect(seen.size).toBe(n);
    expect(pages).toBe(Math.ceil(n / 200));
    const first = await get('/api/cases?pageSize=5');
    expect(first.body).toMatchObject({ total: n, totalCapped: false, page: 1 });
    expect((await get('/api/cases?cursor=nonsense')).status).toBe(400);
  });

  it('pages a common word by cursor through every match once, newest first, counted to the text cap', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await get(
        `/api/cases?q=${encodeURIComponent('批量')}&pageSize=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ total: 1000, totalCapped: true });
      ids.push(...r.body.items.map((x: any) => x.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    const db = t.services.database.db;
    const newestFirst = await db
      .select({ id: cases.id })
      .from(cases)
      .where(sql`${cases.title} = '批量案件'`)
      .orderBy(sql`${cases.createdAt} desc, ${cases.caseNo} desc`);
    expect(ids).toEqual(newestFirst.map((r) => r.id));
  });

  it('exports every matching row, past one batch, and honours the date range', async () => {
    const all = await get('/api/cases.csv?from=2026-06-01&to=2026-06-02');
    const lines = all.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toContain('案件编号');
    // 2026-06-01 12:01 to 2026-06-02 23:59 local: 2,159 of the 2,500 minutes.
    expect(lines.length - 1).toBe(12 * 60 - 1 + 24 * 60);
    const day = await get('/api/cases.csv?from=2026-06-03&to=2026-06-03');
    expect(day.text.slice(1).trim().split('\r\n').length - 1).toBe(2500 - (12 * 60 - 1 + 24 * 60));
    const rows = [];
    for await (const batch of eachCase(t.services.database.db, { q: '批量' }, 300)) rows.push(...batch);
    expect(rows).toHaveLength(2500);
  });
});
