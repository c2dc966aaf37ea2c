import { sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import { rowsOf } from '../db/client.js';
import { departments } from '../db/schema.js';
import { localDate } from '../cases/calendar.js';
import { averageHours, rate, score, type Stats } from './indicators.js';
import { refreshRollups } from './rollup.js';
import { PastPeriods } from './cache.js';

export interface StatsQuery {
  /** Local dates, both included. */
  from: string;
  to: string;
  areaId?: number;
  departmentId?: number;
}

export const DAY_MS = 24 * 3600_000;
/** Start of a local (Asia/Shanghai) date. */
export const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`);

export function periodDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = startOf(from).getTime(); t <= startOf(to).getTime(); t += DAY_MS) days.push(localDate(new Date(t)));
  return days;
}

/** The default period: the 30 days up to today. */
export function defaultPeriod(now = new Date()): { from: string; to: string } {
  return { from: localDate(new Date(now.getTime() - 29 * DAY_MS)), to: localDate(now) };
}

export type StatsReport = Stats & {
  period: { from: string; to: string; asOf: string; areaId: number | null; departmentId: number | null };
};

interface Sums {
  received: number;
  closed: number;
  closedOnTime: number;
  reachedSurvey: number;
  disposed: number;
  reworked: number;
  disposalN: number;
  disposalMs: number;
  surveyed: number;
  answered: number;
  satisfied: number;
}

interface Row extends Sums {
  grouping: number;
  channel: string | null;
  categoryCode: string | null;
  cohortDay: string | null;
  departmentId: number | null;
}

const sums = sql.raw(
  [
    'received',
    'closed',
    'closed_on_time as "closedOnTime"',
    'reached_survey as "reachedSurvey"',
    'disposed',
    'reworked',
    'disposal_n as "disposalN"',
    'disposal_ms as "disposalMs"',
    'surveyed',
    'answered',
    'satisfied',
  ]
    .map((m) => {
      const [col, alias] = m.split(' as ');
      return `coalesce(sum(${col}), 0)::${col === 'disposal_ms' ? 'float8' : 'int'} as ${alias ?? col}`;
    })
    .join(', '),
);

/** Bit of GROUPING(): which of the grouping sets a row belongs to. */
const SET = { total: 15, channel: 7, category: 11, day: 13, department: 14 } as const;

const totalsOf = (s: Sums) => ({
  received: s.received,
  closed: s.closed,
  closedOnTime: s.closedOnTime,
  surveyed: s.surveyed,
  satisfied: s.satisfied,
  reworked: s.reworked,
  answered: s.answered,
  reachedSurvey: s.reachedSurvey,
  disposed: s.disposed,
});
const empty: Sums = {
  received: 0,
  closed: 0,
  closedOnTime: 0,
  reachedSurvey: 0,
  disposed: 0,
  reworked: 0,
  disposalN: 0,
  disposalMs: 0,
  surveyed: 0,
  answered: 0,
  satisfied: 0,
};

const cache = new PastPeriods<StatsReport>();

/**
 * The indicators of server/stats/indicators.ts, summed by PostgreSQL from the daily rollups:
 * one query over at most (days × fact days × (channels + 小类 + departments)) rows for the whole
 * city, (days × channels × 小类 × departments × fact days) for an area or a department, however
 * many cases the period holds. What stays in Node is shaping a few hundred rows.
 * A past period's report is kept until a change touches one of its days.
 */
export async function loadStats(services: Services, q: StatsQuery, now = new Date()): Promise<StatsReport> {
  const db = services.database.db;
  const changed = await refreshRollups(db);
  if (changed.firstDay && changed.lastDay) cache.invalidate(changed.firstDay, changed.lastDay);

  const end = new Date(startOf(q.to).getTime() + DAY_MS);
  const past = end <= now;
  const key = JSON.stringify([q.from, q.to, q.areaId ?? null, q.departmentId ?? null]);
  if (past) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const asOf = past ? end : now;
  // Facts are bucketed by the local day of the instant just before them, so "≤ asOf" is
  // "fact_day ≤ the period's last day" for a past period, and everything up to today for one not over.
  const cap = past ? q.to : localDate(now);

  const days = sql`cohort_day between ${q.from}::date and ${q.to}::date and fact_day <= ${cap}::date`;
  // The whole city, an area or a department reads stats_dims (one dimension per row); an area and a
  // department together, stats_daily.
  const result =
    q.areaId == null || q.departmentId == null
      ? await db.execute(sql`
    select (case when g = 3 then ${SET.total} when g = 2 then ${SET.day} when dim = 'channel' then ${SET.channel}
        when dim = 'category' then ${SET.category} else ${SET.department} end)::int as grouping,
      case when g = 1 and dim = 'channel' then key end as channel,
      case when g = 1 and dim = 'category' then nullif(key, '') end as "categoryCode",
      case when g = 1 and dim = 'department' then key::int end as "departmentId", s.*
    from (
      select dim, key, cohort_day::text as "cohortDay", grouping(dim, key, cohort_day)::int as g, ${sums}
      from stats_dims where area_id = ${q.areaId ?? 0} and department_id = ${q.departmentId ?? 0} and ${days}
      group by grouping sets ((dim, key), (dim, cohort_day), (dim))
    ) s
    where g = 1 or dim = 'channel'`)
      : await db.execute(sql`
    select grouping(channel, category_code, cohort_day, department_id)::int as grouping,
      channel, nullif(category_code, '') as "categoryCode", cohort_day::text as "cohortDay",
      department_id as "departmentId", ${sums}
    from stats_daily
    where area_id = ${q.areaId ?? 0} and ${days}
      ${q.departmentId != null ? sql`and department_id = ${q.departmentId}` : sql``}
    group by grouping sets ((), (channel), (category_code), (cohort_day), (department_id))`);
  const rows = rowsOf<Row>(result);
  const [categories, deptRows] = await Promise.all([
    services.categories(),
    db.select({ id: departments.id, name: departments.name }).from(departments),
  ]);
  const deptName = new Map(deptRows.map((d) => [d.id, d.name]));
  const nameOf = (code: string | null) => (code ? (categories.name(code) ?? code) : '未分类');
  const set = (s: number) => rows.filter((r) => r.grouping === s);

  const totals = totalsOf(rows.find((r) => r.grouping === SET.total) ?? empty);
  const byChannel = set(SET.channel)
    .filter((r) => r.received > 0)
    .map((r) => ({ channel: r.channel!, n: r.received }))
    .sort((a, b) => b.n - a.n || a.channel.localeCompare(b.channel));
  const byCategory = set(SET.category)
    .filter((r) => r.received > 0)
    .map((r) => ({ code: r.categoryCode, name: nameOf(r.categoryCode), n: r.received }))
    .sort((a, b) => b.n - a.n || String(a.code).localeCompare(String(b.code)));
  const perDay = new Map(set(SET.day).map((r) => [r.cohortDay!, r.received]));
  const byDay = periodDays(q.from, q.to).map((day) => ({ day, n: perDay.get(day) ?? 0 }));
  const avgDisposalHoursByCategory = set(SET.category)
    .filter((r) => r.disposalN > 0)
    .map((r) => ({
      code: r.categoryCode,
      name: nameOf(r.categoryCode),
      n: r.disposalN,
      hours: averageHours(r.disposalMs, r.disposalN),
    }))
    .sort((a, b) => String(a.code).localeCompare(String(b.code)));
  const departmentsRanked = set(SET.department)
    .filter((r) => r.departmentId !== 0 && r.received > 0)
    .map((r) => {
      const t = totalsOf(r);
      return {
        id: r.departmentId!,
        name: deptName.get(r.departmentId!) ?? String(r.departmentId),
        received: t.received,
        closed: t.closed,
        closedOnTime: t.closedOnTime,
        answered: t.answered,
        satisfied: t.satisfied,
        reworked: t.reworked,
        disposed: t.disposed,
        closeRate: rate(t.closed, t.received),
        onTimeRate: rate(t.closedOnTime, t.closed),
        satisfactionRate: rate(t.satisfied, t.answered),
        reworkRate: rate(t.reworked, t.disposed),
        score: score(t),
      };
    })
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.received - a.received || a.id - b.id);

  const report: StatsReport = {
    period: {
      from: q.from,
      to: q.to,
      asOf: asOf.toISOString(),
      areaId: q.areaId ?? null,
      departmentId: q.departmentId ?? null,
    },
    totals,
    rates: {
      结案率: rate(totals.closed, totals.received),
      按期结案率: rate(totals.closedOnTime, totals.closed),
      满意率: rate(totals.satisfied, totals.answered),
      回访率: rate(totals.surveyed, totals.reachedSurvey),
      返工率: rate(totals.reworked, totals.disposed),
    },
    byChannel,
    byCategory,
    byDay,
    departments: departmentsRanked,
    avgDisposalHoursByCategory,
  };
  if (past) cache.set(key, q.from, q.to, report);
  return report;
}
