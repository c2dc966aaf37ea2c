import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, lt, sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { areas, caseEvents, cases, departments, surveys } from '../../server/db/schema.js';
import { loadStats, type StatsQuery } from '../../server/stats/load.js';
import { loadStatsDirect } from '../../server/stats/direct.js';
import { rebuildRollups } from '../../server/stats/rollup.js';
import { migrationsFolder } from '../../server/db/client.js';

/**
 * The figures summed from the daily rollups must be exactly those of the JavaScript definitions
 * (indicators.ts) run over the raw rows, on generated histories with re-opened, reworked and
 * merged cases, survey answers after the period, and events on both sides of midnight in
 * Asia/Shanghai.
 */
let t: TestContext;
let depts: number[];
let streets: number[];
let grids: number[];

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HOUR = 3600_000;
const channels = ['hotline', 'miniprogram', 'wechat', 'agent', 'open311'];
const categories = ['100114', '200102', '100101', null];

async function generate(n: number, seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const db = t.services.database.db;
  // 2026-10-20 to 2026-11-20, Beijing time; hours chosen so many events fall near midnight.
  const base = new Date('2026-10-20T00:00:00+08:00').getTime();
  for (let i = 0; i < n; i++) {
    const created = base + Math.floor(r() * 31 * 24) * HOUR + (r() < 0.3 ? 23 * HOUR + 59 * 60_000 : 0);
    let now = created;
    const step = (maxHours: number) => (now += Math.max(1, Math.floor(r() * maxHours * 60)) * 60_000);
    const events: Array<{ action: string; toState: string | null; at: number }> = [];
    const ev = (action: string, toState: string | null) => events.push({ action, toState, at: now });
    const deadline = r() < 0.8 ? created + Math.floor(2 + r() * 48) * HOUR : null;
    const answers: Array<{ status: string; result: string | null; at: number | null }> = [];
    ev('received', '受理');
    if (r() < 0.15) {
      step(2);
      ev('reject', '不予立案');
    } else {
      step(1);
      ev('register', '立案');
      if (r() < 0.2) {
        step(3);
        ev('duplicate_attached', '立案');
      }
      const rounds = r() < 0.3 ? 2 : 1;
      let progressed = r() < 0.85;
      if (progressed) {
        step(3);
        ev('dispatch', '派遣');
        step(2);
        ev('accept', '处置中');
      }
      for (let round = 0; progressed && round < rounds; round++) {
        step(30);
        ev('resolve', '已处置');
        step(1);
        ev('submit_check', '核查');
        step(5);
        if (r() < 0.15) {
          ev('check_fail', '处置中');
          step(10);
          ev('resolve', '已处置');
          step(1);
          ev('submit_check', '核查');
          step(2);
        }
        ev('check_pass', '回访');
        step(24);
        const result = pick(['满意', '基本满意', '不满意', '未接通', '拒绝回访']);
        answers.push({
          status: ['未接通', '拒绝回访'].includes(result) ? pick(['exhausted', 'refused']) : 'answered',
          result,
          at: now,
        });
        if (r() < 0.85) {
          step(2);
          ev('close', '结案');
        }
        if (round + 1 < rounds) {
          step(48);
          ev('rework', '处置中');
        } else progressed = false;
      }
      if (r() < 0.05) {
        step(72);
        ev('park', '挂账');
      }
    }
    const last = events.at(-1)!;
    const gridIdx = Math.floor(r() * grids.length);
    const [k] = await db
      .insert(cases)
      .values({
        caseNo: `G${seed}${String(i).padStart(6, '0')}`,
        state: [...events].reverse().find((e) => e.toState)?.toState ?? last.toState ?? '受理',
        channel: pick(channels),
        categoryCode: pick(categories),
        title: '生成案件',
        description: '生成',
        departmentId: r() < 0.85 ? pick(depts) : null,
        streetId: r() < 0.9 ? pick(streets) : null,
        gridId: r() < 0.6 ? grids[gridIdx] : null,
        deadlineAt: deadline ? new Date(deadline) : null,
        createdAt: new Date(created),
      })
      .returning({ id: cases.id });
    await db.insert(caseEvents).values(
      events.map((e) => ({
        caseId: k.id,
        actorType: 'system' as const,
        action: e.action,
        toState: e.toState,
        createdAt: new Date(e.at),
      })),
    );
    for (const [round, a] of answers.entries()) {
      await db.insert(surveys).values({
        caseId: k.id,
        citizenId: randomUUID(),
        round,
        channel: 'phone',
        status: a.status as any,
        result: a.result as any,
        answeredAt: a.status === 'answered' && a.at ? new Date(a.at) : null,
      });
    }
  }
}

const periods = (extra: Partial<StatsQuery> = {}): StatsQuery[] => [
  { from: '2026-10-20', to: '2026-11-21', ...extra },
  { from: '2026-10-25', to: '2026-10-25', ...extra },
  { from: '2026-10-22', to: '2026-10-28', ...extra },
  { from: '2026-11-01', to: '2026-11-30', ...extra },
  // Not over yet: figures as of now.
  { from: '2026-11-10', to: '2099-12-31', ...extra },
];

async function expectBothWays(q: StatsQuery) {
  const [rolled, direct] = [await loadStats(t.services, q), await loadStatsDirect(t.services, q)];
  const { asOf: _a, ...period } = rolled.period;
  const { asOf: _b, ...directPeriod } = direct.period;
  expect({ ...rolled, period }).toEqual({ ...direct, period: directPeriod });
  return rolled;
}

beforeAll(async () => {
  t = await createTestContext({ jobs: false });
  const db = t.services.database.db;
  depts = (await db.select({ id: departments.id }).from(departments)).map((d) => d.id).slice(0, 4);
  const all = await db.select({ id: areas.id, level: areas.level }).from(areas);
  streets = all.filter((a) => a.level === 'street').map((a) => a.id);
  grids = all.filter((a) => a.level === 'grid').map((a) => a.id);
  await generate(160, 7);
}, 240_000);

afterAll(async () => {
  await t?.close();
});

describe('daily rollups', () => {
  it('agree exactly with the definitions over the raw rows, for every period, area and department', async () => {
    const checked = [];
    for (const q of [...periods(), ...periods({ areaId: streets[0] }), ...periods({ areaId: grids[0] })]) {
      checked.push(await expectBothWays(q));
    }
    for (const departmentId of depts.slice(0, 2)) {
      for (const q of periods()) await expectBothWays({ ...q, departmentId });
      // An area and a department together (stats_daily rather than stats_dims).
      await expectBothWays({ ...periods({ areaId: streets[0] })[0], departmentId });
    }
    // The generated history has what the test is about.
    const whole = checked[0];
    expect(whole.totals.received).toBe(160);
    expect(whole.totals.reworked).toBeGreaterThan(0);
    expect(whole.totals.closed).toBeGreaterThan(0);
    expect(whole.totals.closedOnTime).toBeLessThan(whole.totals.closed);
    expect(whole.avgDisposalHoursByCategory.length).toBeGreaterThan(1);
  });

  it('follow later changes, a cached past period included, and a rebuild changes nothing', async () => {
    const db = t.services.database.db;
    const q = periods()[0];
    const before = await expectBothWays(q);
    // Reassign one department's cases and re-open a closed case: both change the past period.
    const [closed] = await db
      .select()
      .from(cases)
      .where(and(eq(cases.state, '结案'), lt(cases.createdAt, new Date('2026-11-05T00:00:00+08:00'))))
      .limit(1);
    await db.insert(caseEvents).values({
      caseId: closed.id,
      actorType: 'system',
      action: 'rework',
      toState: '处置中',
      createdAt: new Date('2026-11-21T23:59:59.999+08:00'),
    });
    await db.update(cases).set({ departmentId: depts[1] }).where(eq(cases.departmentId, depts[0]));
    const after = await expectBothWays(q);
    expect(after.totals.closed).toBe(before.totals.closed - 1);
    expect(after.departments.find((d) => d.id === depts[0])).toBeUndefined();

    const rows = async (table: 'stats_daily' | 'stats_dims') =>
      ((r: any) => r.rows ?? r)(
        await db.execute(sql`select * from ${sql.raw(table)}
            where (received, closed, closed_on_time, reached_survey, disposed, reworked, disposal_n, disposal_ms,
              surveyed, answered, satisfied) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            order by ${sql.raw(table === 'stats_daily' ? 'area_id, cohort_day, fact_day, channel, category_code, department_id' : 'area_id, department_id, cohort_day, fact_day, dim, key')}`),
      );
    const kept = [await rows('stats_daily'), await rows('stats_dims')];
    expect(kept[1].length).toBeGreaterThan(0);
    // Migration 0021 fills the areas' and departments' rows of a database that had only the whole city's.
    await db.execute(sql`delete from stats_dims where (area_id, department_id) <> (0, 0)`);
    const fill = readFileSync(path.join(migrationsFolder, '0021_stats_dims.sql'), 'utf8')
      .split('--> statement-breakpoint')
      .find((s) => s.trim().startsWith('INSERT'))!;
    await db.execute(sql.raw(fill));
    expect(await rows('stats_dims')).toEqual(kept[1]);
    // The set-based rebuild (one INSERT … SELECT over all facts) gives what the incremental path gave.
    const rebuilt = await rebuildRollups(db);
    expect(rebuilt.cases).toBeGreaterThanOrEqual(160);
    expect([await rows('stats_daily'), await rows('stats_dims')]).toEqual(kept);
    await expectBothWays(q);
  });
});
