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

function computeFacts(ids: string[]) {
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
      from cases where id = any(${idList(ids)})
    ),
    ev as (
      select e.case_id, e.id, e.action, e.to_state, e.created_at,
        max(e.created_at) filter (where e.action = 'resolve') over w as last_resolve
      from case_events e where e.case_id = any(${idList(ids)})
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
      where case_id = any(${idList(ids)}) and status = 'answered'
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

/** Adds (sign 1) or takes out (sign −1) the stored facts of these cases to or from the daily rollup. */
function applyFacts(ids: string[], sign: 1 | -1) {
  return sql`
    insert into stats_daily (area_id, cohort_day, fact_day, channel, category_code, department_id,
      ${sql.raw(metrics.join(', '))})
    select a.area_id, f.cohort_day, f.fact_day, f.channel, f.category_code, f.department_id,
      ${sql.raw(metrics.map((m) => `${sign} * sum(f.${m})`).join(', '))}
    from stats_case_facts f
    cross join lateral (values (0), (f.grid_id), (f.community_id), (f.street_id), (f.district_id)) as a(area_id)
    where f.case_id = any(${idList(ids)}) and a.area_id is not null
    group by 1, 2, 3, 4, 5, 6
    on conflict (area_id, cohort_day, fact_day, channel, category_code, department_id) do update set
      ${sql.raw(metrics.map((m) => `${m} = stats_daily.${m} + excluded.${m}`).join(', '))}`;
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
  await tx.execute(applyFacts(ids, -1));
  await tx.execute(sql`delete from stats_case_facts where case_id = any(${idList(ids)})`);
  await tx.execute(computeFacts(ids));
  await tx.execute(applyFacts(ids, 1));
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

/** Works every case out again, e.g. after a bulk load with the triggers off. */
export async function rebuildRollups(db: Db, batch = 5000): Promise<RefreshResult> {
  await db.execute(sql`insert into stats_dirty (case_id) select id from cases on conflict do nothing`);
  return refreshRollups(db, batch);
}
