/**
 * The service at a city's volume: generates N cases of a year's history in a database of
 * its own (volume_100k, volume_1m, volume_3m … on the local PostgreSQL), starts the real
 * service on it and times what supervisors and agents do, through the API.
 *   npx tsx bench/volume/run.ts --cases 100000,1000000
 *   npx tsx bench/volume/run.ts --cases 3000000 --reuse      (time an existing database again)
 *   npx tsx bench/volume/run.ts --cases 3000000 --generate-only
 * Prints figures only; no thresholds. Without --reuse each N starts from an empty database.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/db/client.js';
import { seedDemo } from '../../server/seed/seed.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { rebuildRollups } from '../../server/stats/rollup.js';
import { startServerProcess, stopProcess, type ServerProcess } from '../../tests/helpers/process.js';
import { generate } from './generate.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('cases', '100000').split(',').map(Number);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const reuse = process.argv.includes('--reuse');
const generateOnly = process.argv.includes('--generate-only');
/** volume_100k, volume_1m, volume_3m. */
const nameOf = (n: number) =>
  `volume_${n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : n}`;

const rssMb = (p: ServerProcess) => {
  const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
};

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function runSize(n: number) {
  const rows: Array<[string, string]> = [];
  rows.push([
    'load average at the start (`uptime`)',
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' '),
  ]);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const NAME = nameOf(n);
  const url = new URL(base);
  url.pathname = `/${NAME}`;
  const dbUrl = url.toString();
  const log = (s: string) => console.error(s);
  const exists = (await admin.query(`select 1 from pg_database where datname = $1`, [NAME])).rowCount === 1;
  const password = randomBytes(12).toString('hex');
  let gen = { seconds: NaN };
  let rollupMs = NaN;
  if (reuse && exists) {
    log(`reusing ${NAME}`);
  } else {
    await admin.query(`drop database if exists ${NAME} with (force)`);
    await admin.query(`create database ${NAME}`);
    const db = await openDatabase({ url: dbUrl, poolMax: 2 });
    await seedDemo(db.db, { supervisor: password, agent: password });
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    // The key the generated phone hashes were made with, kept so a later --reuse can look a phone up.
    await c.query(`create table bench_volume (hash_key text not null)`);
    await c.query(`insert into bench_volume values ($1)`, [randomBytes(32).toString('hex')]);
    const hashKey = (await c.query(`select hash_key from bench_volume`)).rows[0].hash_key as string;
    log(`generating ${n.toLocaleString()} cases`);
    gen = await generate(c, n, hashKey, log);
    [rollupMs] = await timed(() => rebuildRollups(db.db));
    await c.query('vacuum analyze');
    log(`generated in ${gen.seconds.toFixed(0)} s, rollups rebuilt in ${(rollupMs / 1000).toFixed(0)} s`);
    await c.end();
    await db.close();
  }
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const hashKey = (await client.query(`select hash_key from bench_volume`)).rows[0].hash_key as string;
  // Staff passwords are set afresh each run, so a reused database needs no stored secret.
  await client.query(`update staff_users set password_hash = $1 where username in ('supervisor', 'agent')`, [
    await hashPassword(password),
  ]);
  const counts = (
    await client.query(`select (select count(*) from cases)::int as cases, (select count(*) from case_events)::int as events,
      (select count(*) from surveys)::int as surveys, pg_size_pretty(pg_database_size(current_database())) as size,
      (select count(*) from stats_daily)::int as rollup, (select count(*) from stats_dims)::int as city`)
  ).rows[0];
  if (generateOnly) {
    await client.end();
    await admin.end();
    return [['database', JSON.stringify(counts)]] as Array<[string, string]>;
  }

  const server = await startServerProcess(
    {
      DATABASE_URL: dbUrl,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-volume-')),
      PHONE_HASH_KEY: hashKey,
      LOG_LEVEL: 'error',
      JOBS: 'true',
    },
    300_000,
  );
  try {
    const login = async (username: string) =>
      (
        await (
          await fetch(`${server.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password }),
          })
        ).json()
      ).token as string;
    const sup = await login('supervisor');
    const agent = await login('agent');
    const get = async (p: string, token = sup) => {
      const r = await fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await r.json();
      if (!r.ok) throw new Error(`${p}: ${r.status} ${JSON.stringify(body)}`);
      return body;
    };
    /** Best of three after one warm-up: the steady figure, not the first-touch one. */
    const best = async (p: string) => {
      await get(p);
      const times = [];
      for (let i = 0; i < 3; i++) times.push((await timed(() => get(p)))[0]);
      return Math.min(...times);
    };
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const daysAgo = (d: number) => new Date(Date.now() + 8 * 3600_000 - d * 86_400_000).toISOString().slice(0, 10);

    // Figures: the first request of a period pays for the query; RSS read before and after.
    for (const [label, from] of [
      ['`GET /api/stats` last 30 days', daysAgo(29)],
      ['`GET /api/stats` 365 days', daysAgo(364)],
    ] as const) {
      const before = rssMb(server);
      const [t] = await timed(() => get(`/api/stats?from=${from}&to=${today}`));
      const [t2] = await timed(() => get(`/api/stats?from=${from}&to=${today}`));
      rows.push([label, `${ms(t)} (again ${ms(t2)}), RSS ${before} → ${rssMb(server)} MB`]);
    }
    const [pastT] = await timed(() => get(`/api/stats?from=${daysAgo(200)}&to=${daysAgo(100)}`));
    const [pastAgain] = await timed(() => get(`/api/stats?from=${daysAgo(200)}&to=${daysAgo(100)}`));
    rows.push(['`GET /api/stats` a past 101 days, first / cached', `${ms(pastT)} / ${ms(pastAgain)}`]);

    const old = (
      await client.query(`select id, case_no from cases order by created_at limit 1 offset ${Math.floor(n / 10)}`)
    ).rows[0];
    rows.push(['case list, text search (`q=井盖`)', ms(await best(`/api/cases?q=${encodeURIComponent('井盖')}`))]);
    rows.push([
      'case list, text search, rarer words (`q=油烟直排`)',
      ms(await best(`/api/cases?q=${encodeURIComponent('油烟直排')}`)),
    ]);
    rows.push(['case list, search by case number', ms(await best(`/api/cases?q=${old.case_no}`))]);
    rows.push(['case list, search by phone number', ms(await best(`/api/cases?q=13900000042`))]);
    const cat = (await client.query(`select category_code from cases limit 1`)).rows[0].category_code;
    const grid = (await client.query(`select grid_id from cases where grid_id is not null limit 1`)).rows[0].grid_id;
    const street = (await client.query(`select street_id from cases where street_id is not null limit 1`)).rows[0]
      .street_id;
    const filters = [
      ['category', `categoryCode=${cat}`],
      ['street', `areaId=${street}`],
      ['grid', `areaId=${grid}`],
      ['overdue', `deadlineStatus=${encodeURIComponent('已超期')}`],
      ['state', `state=${encodeURIComponent('处置中')}`],
      ['channel', 'channel=wechat'],
    ];
    const filterTimes = [];
    for (const [, q] of filters) filterTimes.push(await best(`/api/cases?${q}`));
    rows.push([
      `case list, first page, each filter (${filters.map((f) => f[0]).join(' / ')})`,
      filterTimes.map(ms).join(' / '),
    ]);
    // The same year's dashboard for one street and for one department (stats_dims, like the whole city).
    const dept = (await client.query(`select department_id from cases where department_id is not null limit 1`)).rows[0]
      .department_id;
    const scoped = [`areaId=${street}`, `departmentId=${dept}`];
    const scopedTimes = [];
    for (const q of scoped)
      scopedTimes.push((await timed(() => get(`/api/stats?from=${daysAgo(364)}&to=${today}&${q}`)))[0]);
    rows.push([
      '`GET /api/stats` 365 days, one street / one department, first request',
      scopedTimes.map(ms).join(' / '),
    ]);
    // A deep page by cursor: the cursor of the row 100,000 (or n/2) rows down.
    const depth = Math.min(100_000, Math.floor(n / 2));
    const at = (
      await client.query(
        `select created_at::text as at, case_no from cases order by created_at desc, case_no desc offset ${depth} limit 1`,
      )
    ).rows[0];
    const cursor = Buffer.from(JSON.stringify([at.at, at.case_no])).toString('base64url');
    rows.push([
      `case list, page at row ${depth.toLocaleString()} (cursor)`,
      ms(await best(`/api/cases?cursor=${cursor}`)),
    ]);
    rows.push(['case list, numbered page 500 (offset, the console)', ms(await best('/api/cases?page=500'))]);
    rows.push(['case detail (an old case)', ms(await best(`/api/cases/${old.id}`))]);

    // Intake, one report at a time, as agents file them.
    const lat = [];
    for (let i = 0; i < 200; i++) {
      const [t, r] = await timed(() =>
        fetch(`${server.url}/api/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` },
          body: JSON.stringify({
            idempotencyKey: `vol-${randomBytes(8).toString('hex')}`,
            channel: 'hotline',
            text: '东湖路上有个井盖没有了，路过的人很容易踩空',
            categoryCode: '100114',
            location: { lat: 30.201 + (i % 40) * 0.002, lng: 120.101 + Math.floor(i / 40) * 0.01 },
          }),
        }).then((x) => x.status),
      );
      if (r !== 201 && r !== 200) throw new Error(`intake ${r}`);
      lat.push(t);
    }
    rows.push([
      'intake `POST /api/reports` p50 / p99 / max',
      `${ms(pct(lat, 0.5))} / ${ms(pct(lat, 0.99))} / ${ms(Math.max(...lat))}`,
    ]);

    // Three supervisors open year-long dashboards (periods not cached) while /healthz is polled.
    let loading = true;
    const health: number[] = [];
    const poll = (async () => {
      while (loading) {
        health.push((await timed(() => fetch(`${server.url}/healthz`).then((r) => r.text())))[0]);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const [dash] = await timed(() =>
      Promise.all([1, 2, 3].map((k) => get(`/api/stats?from=${daysAgo(364 + k)}&to=${daysAgo(k)}`))),
    );
    loading = false;
    await poll;
    rows.push([
      '`/healthz` while three 365-day dashboards load (max / p50)',
      `${ms(Math.max(...health))} / ${ms(pct(health, 0.5))} (dashboards ${ms(dash)})`,
    ]);
    rows.push([
      'database',
      `${counts.size}: ${counts.cases.toLocaleString()} cases, ${counts.events.toLocaleString()} events, ${counts.surveys.toLocaleString()} surveys, ${counts.rollup.toLocaleString()} + ${counts.city.toLocaleString()} rollup rows`,
    ]);
    if (!Number.isNaN(rollupMs))
      rows.push(['generation / rollup rebuild', `${gen.seconds.toFixed(0)} s / ${(rollupMs / 1000).toFixed(0)} s`]);
    rows.push([
      'load average at the end',
      loadavg()
        .map((x) => x.toFixed(1))
        .join(' '),
    ]);
  } finally {
    await stopProcess(server);
    await client.end();
    await admin.end();
  }
  return rows;
}

const results: Array<[number, Array<[string, string]>]> = [];
for (const n of sizes) {
  results.push([n, await runSize(n)]);
  console.log(`\n${n.toLocaleString()} cases\n`);
  console.log('| request | time |');
  console.log('| --- | --- |');
  for (const [k, v] of results.at(-1)![1]) console.log(`| ${k} | ${v} |`);
}
