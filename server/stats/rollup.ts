import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, sqlList, type Db, type DbOrTx } from '../db/client.js';
import { satisfactionAnswers, satisfiedAnswers } from '../surveys/vocabulary.js';

/**
 * Keeps stats_case_facts and stats_daily in step with the cases, events and surveys.
 * Triggers mark a changed case in stats_dirty inside the writing transaction; this
 * drains the marks: each case's old contribution is taken out of the daily rollup,
 * worked out again from its rows, and put back. Running it twice does nothing the
 * second time, and a mark written while it runs is picked up by the next run.
 *
 * The facts follow server/stats/indicators.ts exactly (see the comment there): a
 * fact's day is the local date of the instant just before it, so "up to the end of
 * day D" includes a fact at the stroke of midnight, as "≤ asOf" does.
 */

const rows = (r: unknown) => rowsOf(r);

/** A list of ids as one parameter: the same on PGlite and node-postgres. */
const idList = (ids: string[]) => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;

const factDay = (col: string) => sql.raw(`((${col} - interval '1 microsecond') at time zone 'Asia/Shanghai')::date`);
/** Milliseconds since the epoch, as JavaScript's Date would read the timestamp. */
const msOf = (col: string) => `floor(extract(epoch from ${col}) * 1000)`;

const metrics = [
  'received',
  'closed',
  'closed_on_time',
  'reached_survey',
  'disposed',
  'reworked',
  'disposal_n',
  'disposal_ms',
  'surveyed',
  'answered',
  'satisfied',
] as const;

/** One contribution row: the named metrics set, the others 0. */
function contribution(
  caseId: string,
  day: SQL,
  from: string,
  set: Partial<Record<(typeof metrics)[number], string>>,
): SQL {
  const cols = metrics.map((m) => `${set[m] ?? '0'} as ${m}`).join(', ');
  return sql`select ${sql.raw(caseId)} as case_id, ${day} as fact_day, ${sql.raw(cols)} from ${sql.raw(from)}`;
}

/** The facts of these cases, or of every case (null: the set-based rebuild). */
function computeFacts(ids: string[] | null) {
  const only = (col: string) => (ids ? sql`where ${sql.raw(col)} = any(${idList(ids)})` : sql``);
  const andOnly = (col: string) => (ids ? sql`and ${sql.raw(col)} = any(${idList(ids)})` : sql``);
  const parts = [
    contribution('id', sql.raw('cohort_day'), 'c', { received: '1' }),
    contribution('case_id', factDay('created_at'), 'std where d_cl <> 0 or d_ot <> 0', {
      closed: 'd_cl',
      closed_on_time: 'd_ot',
    }),
    contribution('case_id', factDay('reached'), 'firsts where reached is not null', { reached_survey: '1' }),
    contribution('case_id', factDay('first_rework'), 'firsts where first_rework is not null', { reworked: '1' }),
    contribution('case_id', factDay('first_resolve'), 'disp', {
      disposed: '1',
      disposal_n: '(dispatched is not null)::int',
      disposal_ms: `coalesce(${msOf('first_resolve')} - ${msOf('dispatched')}, 0)`,
    }),
    contribution('case_id', factDay('answered_at'), 'ans', { answered: '1', satisfied: 'sat', surveyed: 'first' }),
  ];
  return sql`
    insert into stats_case_facts (case_id, fact_day, cohort_day, channel, category_code, department_id,
      grid_id, community_id, street_id, district_id, ${sql.raw(metrics.join(', '))})
    with c as (
      select id, deadline_at, channel, coalesce(category_code, '') as category_code,
        coalesce(department_id, 0) as department_id, grid_id, community_id, street_id, district_id,
        (created_at at time zone 'Asia/Shanghai')::date as cohort_day
      from cases ${only('id')}
    ),
    ev as (
      select e.case_id, e.id, e.action, e.to_state, e.created_at,
        max(e.created_at) filter (where e.action = 'resolve') over w as last_resolve
      from case_events e ${only('e.case_id')}
      window w as (partition by e.case_id order by e.created_at, e.id rows unbounded preceding)
    ),
    st as (
      select ev.case_id, ev.id, ev.created_at,
        (ev.to_state = '结案')::int as cl,
        (ev.to_state = '结案' and (c.deadline_at is null or coalesce(
          date_trunc('milliseconds', ev.last_resolve) <= date_trunc('milliseconds', c.deadline_at), false)))::int as ot
      from ev join c on c.id = ev.case_id where ev.to_state is not null
    ),
    std as (
      select case_id, created_at,
        cl - coalesce(lag(cl) over w, 0) as d_cl, ot - coalesce(lag(ot) over w, 0) as d_ot
      from st window w as (partition by case_id order by created_at, id)
    ),
    firsts as (
      select case_id,
        min(created_at) filter (where action = 'check_pass') as reached,
        min(created_at) filter (where action = 'resolve') as first_resolve,
        min(created_at) filter (where action = 'rework') as first_rework
      from ev group by case_id
    ),
    disp as (
      select f.case_id, f.first_resolve,
        max(e.created_at) filter (where e.action = 'dispatch' and e.created_at <= f.first_resolve) as dispatched
      from firsts f join ev e on e.case_id = f.case_id
      where f.first_resolve is not null
      group by f.case_id, f.first_resolve
    ),
    ans as (
      select case_id, answered_at, (result in (${sqlList(satisfiedAnswers)}))::int as sat,
        (row_number() over (partition by case_id order by answered_at, id) = 1)::int as first
      from surveys
      where status = 'answered' ${andOnly('case_id')}
        and result in (${sqlList(satisfactionAnswers)}) and answered_at is not null
    ),
    x as (${sql.join(parts, sql` union all `)})
    select c.id, x.fact_day, c.cohort_day, c.channel, c.category_code, c.department_id,
      c.grid_id, c.community_id, c.street_id, c.district_id,
      ${sql.raw(metrics.map((m) => `sum(x.${m})`).join(', '))}
    from x join c on c.id = x.case_id
    group by c.id, x.fact_day, c.cohort_day, c.channel, c.category_code, c.department_id,
      c.grid_id, c.community_id, c.street_id, c.district_id`;
}

const sumsOf = (sign: 1 | -1 | null) =>
  sql.raw(metrics.map((m) => (sign === null ? `sum(f.${m})` : `${sign} * sum(f.${m})`)).join(', '));
const addOnConflict = (table: string) => sql.raw(metrics.map((m) => `${m} = ${table}.${m} + excluded.${m}`).join(', '));

/**
 * The stored facts of these cases (null: all), summed into the daily rollup once for
 * everywhere (area 0) and once per area level, times sign; added to what is there unless fresh.
 */
function dailyOf(ids: string[] | null, sign: 1 | -1 | null) {
  return sql`
    insert into stats_daily (area_id, cohort_day, fact_day, channel, category_code, department_id,
      ${sql.raw(metrics.join(', '))})
    select a.area_id, f.cohort_day, f.fact_day, f.channel, f.category_code, f.department_id, ${sumsOf(sign)}
    from stats_case_facts f
    cross join lateral (values (0), (f.grid_id), (f.community_id), (f.street_id), (f.district_id)) as a(area_id)
    where a.area_id is not null ${ids ? sql`and f.case_id = any(${idList(ids)})` : sql``}
    group by 1, 2, 3, 4, 5, 6
    ${sign === null ? sql`` : sql`on conflict (area_id, cohort_day, fact_day, channel, category_code, department_id) do update set ${addOnConflict('stats_daily')}`}`;
}

/**
 * The same facts with one dimension per row (stats_dims), for the whole city (0, 0), each of the
 * case's areas (area, 0) and its department (0, department).
 */
function dimsOf(ids: string[] | null, sign: 1 | -1 | null) {
  return sql`
    insert into stats_dims (area_id, department_id, cohort_day, fact_day, dim, key, ${sql.raw(metrics.join(', '))})
    select s.area_id, s.department_id, f.cohort_day, f.fact_day, d.dim, d.key, ${sumsOf(sign)}
    from stats_case_facts f
    cross join lateral (values (0, 0), (f.grid_id, 0), (f.community_id, 0), (f.street_id, 0), (f.district_id, 0),
      (0, nullif(f.department_id, 0))) as s(area_id, department_id)
    cross join lateral (values ('channel', f.channel), ('category', f.category_code),
      ('department', f.department_id::text)) as d(dim, key)
    where s.area_id is not null and s.department_id is not null
      ${ids ? sql`and f.case_id = any(${idList(ids)})` : sql``}
    group by 1, 2, 3, 4, 5, 6
    ${
      sign === null
        ? // A rebuild writes in key order, so a scope's days lie on few pages.
          sql`order by 1, 2, 3, 4, 5, 6`
        : sql`on conflict (area_id, department_id, cohort_day, fact_day, dim, key) do update set ${addOnConflict('stats_dims')}`
    }`;
}

/** Adds (sign 1) or takes out (sign −1) the stored facts of these cases to or from the rollups. */
async function applyFacts(tx: DbOrTx, ids: string[], sign: 1 | -1) {
  await tx.execute(dailyOf(ids, sign));
  await tx.execute(dimsOf(ids, sign));
}

export interface RefreshResult {
  cases: number;
  /** The earliest and latest cohort day whose figures changed (local dates), for cache invalidation. */
  firstDay: string | null;
  lastDay: string | null;
}

async function refreshBatch(tx: DbOrTx, batch: number): Promise<RefreshResult> {
  // One refresher at a time: two would both subtract the same old facts.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('stats_rollup'))`);
  const ids = rows(
    await tx.execute(
      sql`delete from stats_dirty where case_id in (select case_id from stats_dirty limit ${batch}) returning case_id`,
    ),
  ).map((r) => r.case_id as string);
  if (!ids.length) return { cases: 0, firstDay: null, lastDay: null };
  const span = async () =>
    rows(
      await tx.execute(
        sql`select min(cohort_day)::text as first, max(cohort_day)::text as last from stats_case_facts where case_id = any(${idList(ids)})`,
      ),
    )[0] as { first: string | null; last: string | null };
  const before = await span();
  await applyFacts(tx, ids, -1);
  await tx.execute(sql`delete from stats_case_facts where case_id = any(${idList(ids)})`);
  await tx.execute(computeFacts(ids));
  await applyFacts(tx, ids, 1);
  const after = await span();
  const days = [before.first, before.last, after.first, after.last].filter((d): d is string => !!d).sort();
  return { cases: ids.length, firstDay: days[0] ?? null, lastDay: days.at(-1) ?? null };
}

/** Drains stats_dirty in batches, each its own transaction. */
export async function refreshRollups(db: Db, batch = 2000): Promise<RefreshResult> {
  const total: RefreshResult = { cases: 0, firstDay: null, lastDay: null };
  for (;;) {
    const r = await db.transaction((tx) => refreshBatch(tx, batch));
    if (!r.cases) return total;
    total.cases += r.cases;
    if (r.firstDay && (!total.firstDay || r.firstDay < total.firstDay)) total.firstDay = r.firstDay;
    if (r.lastDay && (!total.lastDay || r.lastDay > total.lastDay)) total.lastDay = r.lastDay;
  }
}

/**
 * Works every case out again, e.g. after a bulk load with the triggers off: set-based, one
 * INSERT … SELECT for all the facts and one GROUP BY per rollup, in one transaction. Gives
 * what the incremental path gives (tests/stats/rollup.test.ts).
 */
export async function rebuildRollups(db: Db): Promise<RefreshResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('stats_rollup'))`);
    // A mark written after this delete stays for the next refresh, which takes out what this put in.
    await tx.execute(sql`delete from stats_dirty`);
    await tx.execute(sql`truncate stats_case_facts, stats_daily, stats_dims`);
    await tx.execute(computeFacts(null));
    await tx.execute(dailyOf(null, null));
    await tx.execute(dimsOf(null, null));
    const [r] = rows(
      await tx.execute(sql`select count(*)::int as cases, min(cohort_day)::text as first, max(cohort_day)::text as last
        from stats_case_facts where received <> 0`),
    );
    return { cases: r.cases as number, firstDay: (r.first as string) ?? null, lastDay: (r.last as string) ?? null };
  });
}
