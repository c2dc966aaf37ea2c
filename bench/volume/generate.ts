import type pg from 'pg';

/**
 * N cases of a year's history written in SQL (generate_series), shaped as the service writes
 * them: the report, the citizen (phone encrypted elsewhere, hashed with the service's keyed
 * HMAC here through pgcrypto), the case with its placement, routing and deadline, about eight
 * events per case from 受理 to 结案, 回访 surveys on closed cases, a call record for hotline
 * cases. The triggers that mark cases for the figures are off during the load, and the
 * secondary indexes of the loaded tables are dropped before it and built once after it (one
 * sort per index instead of millions of insertions into it); the rollups are rebuilt once
 * afterwards, set-based, as after a restore.
 */

const loaded = ['citizens', 'reports', 'cases', 'case_events', 'surveys', 'calls'];

/** Drops the indexes of the loaded tables that back no constraint; returns what rebuilds them. */
async function dropIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
     from pg_index i
     where i.indrelid = any(array[${loaded.map((t) => `'${t}'::regclass`).join(', ')}])
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
  );
  for (const r of rows) await client.query(`drop index ${r.name}`);
  return rows.map((r) => r.def as string);
}

/** Realistic complaint wording; about one in six mentions a 井盖. */
const texts = [
  '路口的井盖松动了，车一压就响，晚上特别吵',
  '小区门口的路灯坏了好几天，晚上很黑不安全',
  '人行道上有商贩占道经营，行人只能走到机动车道',
  '垃圾桶满了没人清运，味道很大',
  '工地晚上十一点以后还在施工，噪音扰民',
  '井盖缺失，很危险，请尽快处理',
  '绿化带里堆了很多建筑垃圾',
  '共享单车乱停放，把盲道都堵住了',
  '道路上有个大坑，下雨天积水很深',
  '墙上贴满了小广告，影响市容',
  '餐馆油烟直排，楼上住户意见很大',
  '路边违章停车，占用消防通道',
];

export interface Generated {
  cases: number;
  seconds: number;
}

export async function generate(client: pg.Client, n: number, hashKeyHex: string, log: (s: string) => void) {
  const started = Date.now();
  await client.query('create extension if not exists pgcrypto');
  await client.query(`set session_replication_role = replica`);
  await client.query(`set work_mem = '256MB'; set maintenance_work_mem = '1GB'; set synchronous_commit = off`);
  const indexes = await dropIndexes(client);
  // Reference data from the demo seed: 小类 with their 大类, grid cells with their chain, departments.
  await client.query(`
    create temp table ref_cat as
      select row_number() over (order by code) - 1 as i, code, parent_code, kind, name
      from categories where level = '小类' and kind <> '非城管';
    create temp table ref_grid as
      select row_number() over (order by g.id) - 1 as i, g.id as grid_id, c.id as community_id, s.id as street_id,
        d.id as district_id, d.name || s.name || c.name as place
      from areas g join areas c on c.id = g.parent_id join areas s on s.id = c.parent_id join areas d on d.id = s.parent_id
      where g.level = 'grid';
    create temp table ref_dept as
      select row_number() over (order by id) - 1 as i, id from departments where agency is null;
    create temp table ref_text (i int, t text);
  `);
  await client.query(`insert into ref_text select i - 1, t from unnest($1::text[]) with ordinality as x(t, i)`, [
    texts,
  ]);
  const [{ cats, grids, depts }] = (
    await client.query(
      `select (select count(*) from ref_cat)::int as cats, (select count(*) from ref_grid)::int as grids,
        (select count(*) from ref_dept)::int as depts`,
    )
  ).rows;
  const citizens = Math.max(1, Math.floor(n / 3));
  await client.query(
    `insert into citizens (phone_hash, phone_masked, created_at)
     select encode(hmac(convert_to(p, 'UTF8'), decode($2, 'hex'), 'sha256'), 'hex'), left(p, 3) || '****' || right(p, 4), now() - interval '400 days'
     from (select '139' || lpad(g::text, 8, '0') as p from generate_series(1, $1::int) g) x`,
    [citizens, hashKeyHex],
  );
  await client.query(
    `create temp table ref_citizen as select row_number() over (order by created_at, id) - 1 as i, id from citizens`,
  );
  const chunk = 250_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    // g: case index. Cases spread evenly over the 365 days up to now; those older than 10 days
    // are mostly closed, the recent ones in every open state.
    await client.query(
      `create temp table gen as
      select g, now() - (($2::float8 - g) / $2::float8) * interval '365 days' as created_at,
        (hashint4(g) & 2147483647) as h
      from generate_series($1::int, $3::int) g`,
      [from, n, to],
    );
    await client.query(
      `create temp table gen_case as
      select gen.g, gen.created_at, gen.h,
        gen_random_uuid() as id, gen_random_uuid() as report_id,
        to_char(gen.created_at at time zone 'Asia/Shanghai', 'YYYYMMDD') as day,
        row_number() over (partition by (gen.created_at at time zone 'Asia/Shanghai')::date order by gen.g) as seq,
        c.code as category_code, c.parent_code as major_code, c.kind, c.name as cat_name,
        r.grid_id, r.community_id, r.street_id, r.district_id, r.place,
        d.id as department_id,
        (array['hotline','hotline','hotline','miniprogram','wechat','agent','open311'])[1 + gen.h % 7] as channel,
        t.t as text,
        cz.id as citizen_id,
        case
          when gen.created_at > now() - interval '10 days' then
            (array['受理','立案','派遣','处置中','已处置','核查','回访','结案'])[1 + (gen.h >> 3) % 8]
          when (gen.h >> 3) % 20 = 0 then '不予立案'
          when (gen.h >> 3) % 20 = 1 then '处置中'
          else '结案' end as state,
        (gen.h >> 8) % 10 = 0 as reworked,
        (gen.h >> 12) % 5 = 0 as late,
        24 + (gen.h >> 16) % 48 as deadline_hours
      from gen
      join ref_cat c on c.i = gen.h % $1::int
      join ref_grid r on r.i = (gen.h >> 4) % $2::int
      join ref_dept d on d.i = (gen.h >> 6) % $3::int
      join ref_text t on t.i = (gen.h >> 2) % ${texts.length}
      join ref_citizen cz on cz.i = (gen.h >> 5) % $4::int`,
      [cats, grids, depts, citizens],
    );
    // A day can span two chunks: its numbers go on from where the previous chunk left them.
    await client.query(`
      alter table gen_case add column case_no text;
      update gen_case gc set case_no = gc.day
        || lpad((gc.seq + coalesce((select cc.last from case_counters cc where cc.day = gc.day), 0))::text, 5, '0');
      insert into case_counters (day, last) select day, count(*) from gen_case group by day
        on conflict (day) do update set last = case_counters.last + excluded.last;
    `);
    await client.query(`
      -- step k of a case's history happens k * 1..3 hours after it was received.
      create temp table gen_ev as
      select gc.id as case_id, s.k, s.action, s.from_state, s.to_state,
        gc.created_at + s.k * (1 + (gc.h >> 20) % 3) * interval '1 hour' + (gc.h % 60) * interval '1 second' as at
      from gen_case gc
      cross join lateral (values
        (0, 'received', null, '受理'), (1, 'register', '受理', '立案'), (2, 'dispatch', '立案', '派遣'),
        (3, 'accept', '派遣', '处置中'), (4, 'resolve', '处置中', '已处置'), (5, 'submit_check', '已处置', '核查'),
        (6, 'check_pass', '核查', '回访'), (7, 'close', '回访', '结案')
      ) as s(k, action, from_state, to_state)
      where s.k <= case gc.state when '受理' then 0 when '立案' then 1 when '派遣' then 2 when '处置中' then 3
        when '已处置' then 4 when '核查' then 5 when '回访' then 6 when '结案' then 7 when '不予立案' then 0 end
      union all
      select gc.id, 1, 'reject', '受理', '不予立案', gc.created_at + interval '1 hour' from gen_case gc where gc.state = '不予立案';
      update gen_ev e set at = e.at + interval '3 days' from gen_case gc
        where gc.id = e.case_id and gc.late and e.k >= 4;
      create index on gen_ev (case_id, action);
      create index on gen_case (id);
      analyze gen_case;
      analyze gen_ev;
    `);
    await client.query(`
      insert into reports (id, channel, citizen_id, text, photos, lat, lng, address, idempotency_key, case_id, disposition, created_at)
      select report_id, channel, citizen_id, text, '[]'::jsonb, 30.2 + (h % 1000) * 0.00005, 120.1 + ((h >> 10) % 1000) * 0.00005,
        place, 'bench-' || g, id, 'opened', created_at
      from gen_case;
      insert into cases (id, case_no, state, version, channel, kind, category_code, major_code, title, description,
        lat, lng, address, grid_id, community_id, street_id, district_id, department_id, priority, deadline_at,
        deadline_type, deadline_hours, deadline_status, reporter_id, confidence, needs_review, rework_count,
        survey_result, created_at, updated_at, dispatched_at, resolved_at, closed_at)
      select gc.id, gc.case_no, gc.state, 1 + ev.n, gc.channel, gc.kind,
        gc.category_code, gc.major_code, gc.cat_name || '（' || gc.place || '）', gc.text,
        30.2 + (gc.h % 1000) * 0.00005, 120.1 + ((gc.h >> 10) % 1000) * 0.00005, gc.place,
        gc.grid_id, gc.community_id, gc.street_id, gc.district_id,
        case when gc.state in ('受理', '不予立案') then null else gc.department_id end, '一般',
        case when gc.state in ('受理', '立案', '不予立案') then null else gc.created_at + interval '2 hours' + gc.deadline_hours * interval '1 hour' end,
        'calendar', gc.deadline_hours,
        case when gc.state in ('派遣', '处置中') and gc.created_at + interval '2 hours' + gc.deadline_hours * interval '1 hour' < now()
          then '已超期' else '正常' end,
        gc.citizen_id, 0.9, false, case when gc.reworked and gc.state = '结案' then 1 else 0 end,
        case when gc.state = '结案' then (array['满意','满意','满意','基本满意','不满意'])[1 + (gc.h >> 9) % 5] end,
        gc.created_at, gc.created_at,
        ev.dispatched, ev.resolved, ev.closed
      from gen_case gc
      join (select case_id, count(*)::int as n, max(at) filter (where action = 'dispatch') as dispatched,
          max(at) filter (where action = 'resolve') as resolved, max(at) filter (where action = 'close') as closed
        from gen_ev group by case_id) ev on ev.case_id = gc.id;
      insert into case_events (case_id, actor_type, action, from_state, to_state, note, attachments, data, created_at)
      select e.case_id, 'system', e.action, e.from_state, e.to_state,
        case e.action when 'received' then '热线电话受理' when 'resolve' then '已处置完毕' when 'reject' then '不属于受理范围' end,
        '[]'::jsonb, case e.action when 'received' then jsonb_build_object('placement', 'point') end, e.at
      from gen_ev e;
      -- Reworked closed cases: the citizen was unhappy, the department went back, then closed again.
      insert into case_events (case_id, actor_type, action, from_state, to_state, note, attachments, created_at)
      select gc.id, 'staff', 'rework', '结案', '处置中', '市民不满意，返工', '[]'::jsonb, e.at + interval '1 hour'
      from gen_case gc join gen_ev e on e.case_id = gc.id and e.action = 'close' where gc.reworked and gc.state = '结案'
      union all
      select gc.id, 'department', 'resolve', '处置中', '已处置', '返工处置完毕', '[]'::jsonb, e.at + interval '5 hours'
      from gen_case gc join gen_ev e on e.case_id = gc.id and e.action = 'close' where gc.reworked and gc.state = '结案'
      union all
      select gc.id, 'system', 'close', '回访', '结案', null, '[]'::jsonb, e.at + interval '8 hours'
      from gen_case gc join gen_ev e on e.case_id = gc.id and e.action = 'close' where gc.reworked and gc.state = '结案';
      insert into surveys (case_id, citizen_id, round, channel, status, attempts, result, created_at, answered_at)
      select gc.id, gc.citizen_id, 0, 'phone',
        case when (gc.h >> 9) % 7 = 6 then 'exhausted' else 'answered' end, 1,
        case when (gc.h >> 9) % 7 = 6 then '未接通' else gc.survey end,
        e.at, case when (gc.h >> 9) % 7 = 6 then null else e.at + interval '30 minutes' end
      from (select *, (array['满意','满意','满意','基本满意','不满意'])[1 + (h >> 9) % 5] as survey from gen_case) gc
      join gen_ev e on e.case_id = gc.id and e.action = 'check_pass';
      insert into calls (id, direction, caller_hash, caller_masked, citizen_id, case_id, agent, started_at, answered_at, ended_at, hangup_cause)
      select 'bench-' || gc.g, 'inbound', null, null, gc.citizen_id, gc.id, '1001', gc.created_at - interval '3 minutes',
        gc.created_at - interval '170 seconds', gc.created_at + interval '1 minute', 'NORMAL_CLEARING'
      from gen_case gc where gc.channel = 'hotline';
      drop table gen; drop table gen_case; drop table gen_ev;
    `);
    log(`  ${to.toLocaleString()} cases written (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  const indexed = Date.now();
  for (const def of indexes) await client.query(def);
  log(`  ${indexes.length} indexes built (${Math.round((Date.now() - indexed) / 1000)} s)`);
  await client.query(`set session_replication_role = origin`);
  return { cases: n, seconds: (Date.now() - started) / 1000 };
}
