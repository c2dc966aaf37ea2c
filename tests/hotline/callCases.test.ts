import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport, north, places } from '../helpers/factories.js';
import { until } from '../helpers/wait.js';
import { calls } from '../../server/db/schema.js';
import type { ScreenPopPayload } from '../../server/telephony/screenPops.js';

let t: TestContext;
let agent: string;

beforeAll(async () => {
  t = await createTestContext();
  agent = await t.login('agent');
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string) => t.http().get(path).set('Authorization', `Bearer ${agent}`);

describe('a call and the cases filed during it', () => {
  it('links every case, survives a reload, and pushes the pop again as each case is filed', async () => {
    expect((await get('/api/screen-pop/current')).body).toEqual({ screenPop: null });

    const sim = await t
      .http()
      .post('/api/calls/simulate')
      .set('Authorization', `Bearer ${agent}`)
      .send({ caller: '13800138201' });
    expect(sim.status).toBe(201);
    const callId: string = sim.body.callId;
    const extension: string = sim.body.screenPop.agent;

    const heard: ScreenPopPayload[] = [];
    const off = await t.services.screenPops.subscribe({ extension, all: false }, (p) => heard.push(p));
    try {
      const first = await fileReport(t, agent, {
        callId,
        phone: '13800138201',
        location: north(places.wangJiang, 500),
        text: '东湖路人行道上井盖缺失，很危险',
      });
      await until(() => heard.some((p) => p.filedCases.length === 1), 20_000, 'the pop after the first case');
      const second = await fileReport(t, agent, {
        callId,
        phone: '13800138201',
        location: north(places.wangJiang, 1000),
        categoryCode: '200505',
        text: '学院路上有辆车停在人行道上好几天了',
      });
      await until(() => heard.some((p) => p.filedCases.length === 2), 20_000, 'the pop after the second case');
      const last = heard.at(-1)!;
      expect(last.callId).toBe(callId);
      expect(last.filedCases.map((c) => c.caseNo)).toEqual([first.caseNo, second.caseNo]);
      // 历史案件 shows both, newest first.
      expect(last.pastCases.slice(0, 2).map((c) => c.caseNo)).toEqual([second.caseNo, first.caseNo]);

      // Both cases show the call; the call still names the latest case for older readers.
      for (const kase of [first, second]) {
        const detail = await get(`/api/cases/${kase.id}`);
        expect(detail.body.calls.map((c: { id: string }) => c.id)).toEqual([callId]);
      }
      const [row] = await t.services.database.db.select().from(calls).where(eq(calls.id, callId));
      expect(row.caseId).toBe(second.id);

      // A reload mid-call: the console asks the server for the call in progress.
      const reload = await get('/api/screen-pop/current');
      expect(reload.status).toBe(200);
      expect(reload.body.screenPop).toMatchObject({ callId, callerMasked: '138****8201' });
      expect(reload.body.screenPop.filedCases.map((c: { id: string }) => c.id)).toEqual([first.id, second.id]);
      expect(JSON.stringify(reload.body)).not.toContain('13800138201');

      // Once the call has ended there is nothing to restore.
      await t.services.database.db.update(calls).set({ endedAt: new Date() }).where(eq(calls.id, callId));
      expect((await get('/api/screen-pop/current')).body).toEqual({ screenPop: null });
    } finally {
      off();
    }
  });

  it('a made-up call id links nothing', async () => {
    const kase = await fileReport(t, agent, {
      callId: 'no-such-call',
      location: north(places.wangJiang, 1500),
      text: '东湖路人行道上井盖缺失，很危险',
    });
    const detail = await get(`/api/cases/${kase.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.calls).toEqual([]);
  });
});
