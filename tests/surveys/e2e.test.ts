import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { fileReport } from '../helpers/factories.js';
import { TestEslServer } from '../../telephony/testing/esl-server.js';
import { TestAmiServer } from '../../telephony/testing/ami-server.js';
import type { OriginateSeen } from '../../telephony/testing/sim-call.js';
import { notifications } from '../../server/db/schema.js';
import { caseRow, disposeAndCheck, spot, surveysOf, tokens } from './helpers.js';
import { until } from '../helpers/wait.js';

/**
 * The whole chain with the real workers: 核查通过 over HTTP → open-survey-round →
 * run-survey → a call through the PBX adapter → 结案.
 */
interface TestPbx {
  listen(): Promise<number>;
  close(): Promise<void>;
  onOriginate(handler: (req: OriginateSeen) => unknown): void;
}

const pbxes = [
  {
    name: 'FreeSWITCH',
    make: () => new TestEslServer() as TestPbx,
    env: (port: number) => ({ PBX: 'freeswitch', PBX_PORT: String(port), PBX_PASSWORD: 'ClueCon' }),
  },
  {
    name: 'Asterisk',
    make: () => new TestAmiServer() as TestPbx,
    env: (port: number) => ({ PBX: 'asterisk', PBX_PORT: String(port), PBX_USERNAME: 'admin', PBX_PASSWORD: 'amp111' }),
  },
];

let t: TestContext | null = null;
let server: TestPbx | null = null;
afterEach(async () => {
  await t?.close();
  await server?.close();
  t = null;
  server = null;
});

describe.each(pbxes)('survey by phone with the workers running, on $name', ({ make, env }) => {
  it('calls the citizen once 核查 passes and closes the case on 基本满意', async () => {
    server = make();
    const port = await server.listen();
    const calls: OriginateSeen[] = [];
    server.onOriginate((req) => {
      calls.push(req);
      return { outcome: 'answer', onAnswered: (call: any) => call.onCollect(() => '2') };
    });
    // Calling hours all day and no holidays, so the test does not depend on when it runs.
    t = await createTestContext({ workers: true, env: { ...env(port), SURVEY_CALL_HOURS: '00:00-24:00' } });
    t.services.calendar = { ...t.services.calendar, holidays: [] };
    const tok = await tokens(t);

    const c = await fileReport(t, tok.agent, { location: spot(), phone: '13900000301' });
    await disposeAndCheck(t, tok, c.id);
    await until(async () => (await caseRow(t!, c.id)).state === '结案');

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ destination: '13900000301', variables: { case_no: c.caseNo } });
    expect(await caseRow(t, c.id)).toMatchObject({ state: '结案', surveyResult: '基本满意' });
    expect(await surveysOf(t, c.id)).toMatchObject([
      { channel: 'phone', status: 'answered', result: '基本满意', attempts: 1 },
    ]);
    // Without WeChat, the citizen's notifications are written as skipped, not lost.
    await until(
      async () =>
        (await t!.services.database.db.select().from(notifications).where(eq(notifications.caseId, c.id))).length >= 3,
    );
    const rows = await t.services.database.db.select().from(notifications).where(eq(notifications.caseId, c.id));
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['registered', 'dispatched', 'resolved']));
    expect(rows.every((r) => r.status === 'skipped' && r.channel === 'none')).toBe(true);
  });
});
