import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { TestEslServer } from '../../telephony/testing/esl-server.js';
import type { OriginateSeen, SimCall } from '../../telephony/testing/sim-call.js';
import { calls, cases, notifications, surveys } from '../../server/db/schema.js';
import type { Database } from '../../server/db/client.js';
import { defaultCalendar } from '../../server/cases/calendar.js';
import { isCallTime, parseCallHours } from '../../server/surveys/callingHours.js';
import { fileReport, places } from '../helpers/factories.js';
import { openStream } from '../helpers/sse.js';
import { until } from '../helpers/wait.js';
import { disposeAndCheck, spot, type Tokens } from '../surveys/helpers.js';
import {
  alive,
  clusterDatabase,
  contextOf,
  instanceEnv,
  leaders,
  startInstances,
  stopAll,
  type Instance,
} from './helpers.js';

/**
 * Three instances of the service as separate processes on one PostgreSQL, with the ESL
 * test server as FreeSWITCH: one holds the PBX, the others serve HTTP and jobs, and a
 * SIGKILL of the holder hands the PBX over. PGlite is one process by nature, so this
 * runs on PostgreSQL only.
 */
const onPostgres = !!process.env.DATABASE_URL;

// PGlite: skipped, one process by nature.

describe.runIf(onPostgres)('three instances on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof clusterDatabase>>;
  let esl: TestEslServer;
  let all: Instance[] = [];
  const originates: OriginateSeen[] = [];
  /** Menus the PBX played, per call: a call handled by two instances would hear two. */
  const menus = new Map<string, number>();
  let tok: Tokens;

  const rows = (database: Database, callId: string) => database.db.select().from(calls).where(eq(calls.id, callId));

  /** A hotline caller who asks for an agent (3) at the menu. */
  function callIn(from: string): SimCall {
    const call = esl.simulateInboundCall({ from, to: '12319' });
    call.onCollect(() => {
      menus.set(call.id, (menus.get(call.id) ?? 0) + 1);
      return '3';
    });
    return call;
  }

  async function bridged(callId: string) {
    await until(async () => (await rows(db.database, callId))[0]?.agent === '8001', 20_000, `call ${callId} bridged`);
  }

  beforeAll(async () => {
    db = await clusterDatabase();
    esl = new TestEslServer({ password: 'ClueCon', agents: ['8001'] });
    const port = await esl.listen();
    esl.onOriginate((req) => {
      originates.push(req);
      return { outcome: 'answer', onAnswered: (call) => call.onCollect(() => '2') };
    });
    all = await startInstances(
      3,
      instanceEnv(db.url, {
        PBX: 'freeswitch',
        PBX_HOST: '127.0.0.1',
        PBX_PORT: String(port),
        PBX_PASSWORD: 'ClueCon',
        SURVEY_CALL_HOURS: '00:00-24:00',
      }),
    );
    const c = contextOf(all[0]);
    tok = {
      agent: await c.login('agent'),
      supervisor: await c.login('supervisor'),
      szss: await c.login('szss'),
      admin: await c.login('admin'),
    };
  }, 240_000);

  afterAll(async () => {
    await stopAll(all);
    await esl?.close();
    await db?.drop();
  });

  it('lets exactly one instance hold the PBX connection', async () => {
    await until(async () => (await leaders(all)).length === 1 && esl.authedClientCount === 1, 20_000, 'one leader');
    expect(esl.authedClientCount).toBe(1);
    const metrics = await Promise.all(all.map(async (p) => (await fetch(`${p.url}/metrics`)).text()));
    const flags = metrics.map((m) => Number(/^cluster_leader (\d)/m.exec(m)?.[1]));
    expect(flags.sort()).toEqual([0, 0, 1]);
  });

  it('answers and records a call once, and pops it for an agent connected to another instance', async () => {
    const [leader] = await leaders(all);
    const other = all.find((p) => p !== leader)!;
    const stream = openStream(`${other.url}/api/screen-pop/stream`, tok.agent);
    await stream.ready;

    const call = callIn('13812340001');
    await until(() => stream.events.some((e) => e.data.callId === call.id), 20_000, 'screen-pop on another instance');
    const pop = stream.events.find((e) => e.data.callId === call.id)!;
    expect(pop.data).toMatchObject({ agent: '8001', callerMasked: '138****0001' });
    stream.close();

    // A reconnect to a third instance, as after a fail-over, shows the call in progress at once.
    const third = all.find((p) => p !== leader && p !== other)!;
    const again = openStream(`${third.url}/api/screen-pop/stream`, tok.agent);
    await until(() => again.events.length > 0, 10_000, 'current pop on reconnect');
    expect(again.events[0].data.callId).toBe(call.id);
    again.close();

    call.hangup('NORMAL_CLEARING');
    await until(async () => (await rows(db.database, call.id))[0]?.endedAt != null, 10_000, 'hang-up recorded');
    expect(await rows(db.database, call.id)).toHaveLength(1);
    expect(menus.get(call.id)).toBe(1);
  });

  it('surveys a case by phone once, whichever instance works the jobs', async () => {
    const c = contextOf(all[1]);
    const kase = await fileReport(c, tok.agent, { location: spot(places.wenChang), phone: '13900000777' });
    await disposeAndCheck(contextOf(all[2]), tok, kase.id);
    const state = async () => (await db.database.db.select().from(cases).where(eq(cases.id, kase.id)))[0].state;
    // On a public holiday the calling-hours policy defers the call to the next working moment.
    const callable = isCallTime(new Date(), parseCallHours('00:00-24:00'), defaultCalendar);
    if (callable) {
      await until(async () => (await state()) === '结案', 30_000, 'survey answered');
      expect(originates.filter((o) => o.variables.case_no === kase.caseNo)).toHaveLength(1);
    } else {
      await until(
        async () => (await db.database.db.select().from(surveys).where(eq(surveys.caseId, kase.id))).length > 0,
        30_000,
        'survey scheduled',
      );
      expect(originates).toHaveLength(0);
    }
    const rowsOf = await db.database.db.select().from(surveys).where(eq(surveys.caseId, kase.id));
    expect(rowsOf).toHaveLength(1);
    expect(rowsOf[0].attempts).toBe(callable ? 1 : 0);
  });

  it('hands the PBX over within 10 s of a SIGKILL, keeping the call in progress once', async () => {
    const call = callIn('13812340002');
    const during = callIn('13812340004');
    await bridged(call.id);
    await bridged(during.id);
    const [old] = await leaders(all);
    const listingsBefore = esl.channelListings;
    const killedAt = Date.now();
    old.child.kill('SIGKILL');
    await until(async () => !alive(old), 5_000, 'leader gone');
    // A caller who hangs up while no instance holds the PBX: the old leader's record of the call stays
    // open until the new leader's resync finds the call gone from the PBX and closes it.
    const nobodyListening = esl.authedClientCount === 0;
    during.hangup('NORMAL_CLEARING');

    let next: Instance[] = [];
    await until(
      async () => (next = await leaders(all)).length === 1 && esl.authedClientCount === 1,
      10_000,
      'a new leader connected to the PBX',
    );
    const handover = Date.now() - killedAt;
    console.info(`PBX handed over ${handover} ms after the leader's SIGKILL`);
    expect(next[0]).not.toBe(old);
    expect(handover).toBeLessThan(10_000);

    // The new leader resynchronised the call it never saw start: its end lands on the same row.
    // (Which fields a resynchronised record keeps is the call store's merge, tested with telephony.)
    // The hang-up comes after the new leader has listed the PBX's channels, as a real caller's would
    // most of the time; one that ends during the takeover is found gone by the resync itself.
    await until(async () => esl.channelListings > listingsBefore, 10_000, 'the new leader resynchronised');
    call.hangup('NORMAL_CLEARING');
    await until(async () => (await rows(db.database, call.id))[0]?.endedAt != null, 10_000, 'hang-up after fail-over');
    const [row] = await rows(db.database, call.id);
    expect(row).toMatchObject({ direction: 'inbound', calledNumber: '12319', hangupCause: 'NORMAL_CLEARING' });
    expect(await rows(db.database, call.id)).toHaveLength(1);
    expect(menus.get(call.id)).toBe(1);
    await until(async () => (await rows(db.database, during.id))[0]?.endedAt != null, 10_000, 'ended during fail-over');
    if (nobodyListening) expect((await rows(db.database, during.id))[0].hangupCause).toBe('ENDED_WHILE_DISCONNECTED');

    // And a new call is answered once, by the new leader.
    const after = callIn('13812340003');
    await bridged(after.id);
    expect(menus.get(after.id)).toBe(1);
    after.hangup();
    await until(async () => (await rows(db.database, after.id))[0]?.endedAt != null, 10_000, 'second hang-up');
    expect(await rows(db.database, after.id)).toHaveLength(1);
  });

  it('runs every job once: no retries, one notification per case and kind, one sweep a minute', async () => {
    await until(
      async () => {
        const { rows: open } = await db.database.executor.executeSql(
          `select count(*)::int as n from pgboss.job where state in ('created','active','retry') and start_after <= now() and name <> 'deadline-sweep'`,
        );
        return open[0].n === 0;
      },
      30_000,
      'jobs drained',
    );
    const { rows: jobs } = await db.database.executor.executeSql(
      `select name, state, retry_count from pgboss.job where name not like '\\_\\_%' and state <> 'created'`,
    );
    expect(jobs.length).toBeGreaterThan(0);
    for (const j of jobs) expect(j, `${j.name} ran once`).toMatchObject({ state: 'completed', retry_count: 0 });

    const perKind = await db.database.db
      .select({ caseId: notifications.caseId, kind: notifications.kind, n: sql<number>`count(*)::int` })
      .from(notifications)
      .groupBy(notifications.caseId, notifications.kind);
    expect(perKind.length).toBeGreaterThan(0);
    expect(perKind.filter((r) => r.n !== 1)).toEqual([]);

    const { rows: sweeps } = await db.database.executor.executeSql(
      `select date_trunc('minute', created_on) as minute, count(*)::int as n from pgboss.job
        where name = 'deadline-sweep' group by 1`,
    );
    expect(sweeps.filter((s) => Number(s.n) > 1)).toEqual([]);
    const { rows: schedules } = await db.database.executor.executeSql(`select name from pgboss.schedule`);
    // One row per schedule name, whichever instances asked for it.
    expect(schedules.map((s) => s.name).sort()).toEqual(['deadline-sweep', 'retention-sweep', 'stats-rollup']);
  });
});
