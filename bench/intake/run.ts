/**
 * Intake and the case-status read against the physical limit, in one run: pgbench TPC-B and
 * pgbench -S on the same PostgreSQL with the same client count, each followed by our counterpart
 * (staff POST /api/reports, GET /api/public/cases/:no), printed as a ratio of it. Then intake at
 * half the pgbench rate for its p99, the service's RSS at rest and under load, and the database
 * round trips each request takes (a second start with DB_STATEMENT_COUNT=true). Each start's first intake is
 * timed alone, then 3 s of intakes warm the service up unmeasured, so the runs measure a running service.
 *   npm run bench:intake -- [--seconds 10] [--connections 10] [--workers N] [--pglite] [--pglite-only] [--compiled] [--client wrk|autocannon]
 * --workers N measures PostgreSQL twice in the run, with one process and with WEB_WORKERS=N (node:cluster
 * workers on one port), each against its own pgbench runs; RSS is then the primary and its workers together.
 * The workers share one process's 10 pool connections (DATABASE_POOL_MAX = 10 / N each), so PostgreSQL
 * sees as many sessions either way.
 * --compiled runs dist/server/main.js (npm run build first), as `npm start` does after `npm install`.
 * --client wrk|autocannon: the load generator of the full-speed runs; wrk (Debian's package, C, with
 * pgbench's two threads) when installed, as pgbench is a C client beside PostgreSQL; autocannon runs on this
 * process's one JavaScript thread and takes more of the 2 cores from the service. The half-rate run is
 * autocannon's either way (it holds a rate).
 * pgbench runs in its own database (bench_pg), ours in a fresh one; `test` is never touched.
 * Prints figures only; no thresholds.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { pgbench } from './pgbench.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/db/client.js';
import { seedDemo } from '../../server/seed/seed.js';
import { DEAD_LETTER_QUEUE } from '../../server/jobs/queues.js';
import { serverEntry, startServerProcess, stopProcess, type ServerProcess } from '../../tests/helpers/process.js';
import { hasWrk, runWrk } from './wrk.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 10);
const connections = arg('connections', 10);
const pgliteOnly = process.argv.includes('--pglite-only');
const entry = process.argv.includes('--compiled') ? serverEntry.compiled : serverEntry.tsx;
const withPglite = pgliteOnly || process.argv.includes('--pglite');
const workers = arg('workers', 1);
if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers takes a number of workers, 1 or more');
if (workers > 1 && pgliteOnly) throw new Error('--workers is PostgreSQL only (PGlite is one process)');
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The load generator of the full-speed runs: wrk (C, two threads, as pgbench -j 2 is beside it) when it is
// installed, else autocannon (JavaScript on this process's one thread, which takes CPU from the service).
// The half-rate run always uses autocannon: it holds a rate, wrk does not.
const clientArg = process.argv.includes('--client') ? process.argv[process.argv.indexOf('--client') + 1] : undefined;
if (clientArg !== undefined && clientArg !== 'wrk' && clientArg !== 'autocannon')
  throw new Error('--client takes wrk or autocannon');
const client: 'wrk' | 'autocannon' = clientArg ?? (hasWrk() ? 'wrk' : 'autocannon');

const texts = [
  '东湖路上有个井盖没有了，路过的人很容易踩空',
  '文昌路口那家水果店把摊子摆到人行道上了',
  '学院路公交站旁边的路灯一到晚上就闪个不停',
  '望江小区北门的垃圾桶满了好几天没人清',
];

interface Figure {
  title: string;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

const load = () => loadavg()[0].toFixed(1);

function ownRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return 0; // a worker that has just ended
  }
}

/** The server's RSS with its children's (its WEB_WORKERS), which the kernel lists per thread. */
function rssMb(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // no children file: the process alone
  }
  return children.reduce((sum, child) => sum + ownRssMb(child), ownRssMb(pid));
}

/** Samples the server's RSS while `work` runs; returns the peak. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  try {
    return { result: await work(), peakMb: Math.max(peak, rssMb(pid)) };
  } finally {
    clearInterval(timer);
  }
}

async function cannon(title: string, opts: autocannon.Options): Promise<Figure> {
  const r = await autocannon({ duration: seconds, connections, ...opts });
  return {
    title,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.non2xx + r.errors + r.timeouts,
  };
}

/** wrk in its own process (two threads, as pgbench -j 2); awaited beside the RSS sampler. */
async function wrk(title: string, url: string, script?: string, args?: string[]): Promise<Figure> {
  return { title, ...(await runWrk(url, { seconds, connections, threads: Number(jobs), script, args })) };
}

let n = 0;
/** Points spread so that most reports open new cases rather than merge as duplicates. */
const point = () => {
  const i = n++;
  return { lat: 30.201 + ((i * 7) % 880) * 0.0001, lng: 120.101 + ((i * 13) % 1780) * 0.0001 };
};
const WARM_UP_SECONDS = 3;

async function timed(request: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await request();
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`the request failed: ${res.status}`);
  return performance.now() - started;
}

const reportBody = () =>
  JSON.stringify({
    idempotencyKey: `b-${randomBytes(8).toString('hex')}`,
    channel: 'hotline',
    text: texts[n % texts.length],
    location: point(),
  });

const serverEnv = {
  LOG_LEVEL: 'error',
  JOBS: 'true',
  CLASSIFY_RATE_PER_MINUTE: '1000000',
  PUBLIC_READ_RATE_PER_MINUTE: '100000000',
};

async function login(server: ServerProcess, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'agent', password }),
  });
  return ((await res.json()) as { token: string }).token;
}

const intake = (server: ServerProcess, token: string, extra: autocannon.Options | object = {}) => ({
  url: `${server.url}/api/reports`,
  method: 'POST' as const,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: reportBody() }) }],
  ...extra,
});

async function someCaseNo(server: ServerProcess, token: string): Promise<string> {
  const res = await fetch(`${server.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: reportBody(),
  });
  return ((await res.json()) as { case: { caseNo: string } }).case.caseNo;
}

/**
 * Seconds until every job queue is empty, read from the service's own job_queue_depth gauge (the dead
 * letters have no worker: they are not waiting for one).
 */
async function drained(server: ServerProcess, limitMs = 300_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const waiting = [...text.matchAll(/^job_queue_depth\{queue="([^"]*)"\} (\d+)/gm)]
      .filter((m) => m[1] !== DEAD_LETTER_QUEUE)
      .reduce((n, m) => n + Number(m[2]), 0);
    if (waiting === 0) return (Date.now() - started) / 1000;
    if (Date.now() - started > limitMs) throw new Error(`${waiting} jobs still queued after ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Average X-DB-Statements over a few sequential requests. */
async function statementsPer(make: () => Promise<Response>, times = 20): Promise<number> {
  let total = 0;
  for (let i = 0; i < times; i++) {
    const res = await make();
    await res.arrayBuffer();
    total += Number(res.headers.get('x-db-statements') ?? NaN);
  }
  return total / times;
}

interface BackendFigures {
  backend: string;
  intake: Figure;
  read: Figure;
  halfRate: Figure & { target: number };
  rssRestMb: number;
  rssPeakMb: number;
  statements: { intake: number; read: number };
  /** How long the jobs the intake run queued took to drain after it. */
  drainSeconds: number;
  /** The first intake after the start, alone: what a fresh process does once (lazy loads, first plans). */
  firstIntakeMs: number;
}

async function measure(
  backend: string,
  env: Record<string, string>,
  password: string,
  pgbenchNow: { tpcb: () => number; select: () => number },
): Promise<BackendFigures & { tpcb: number; select: number }> {
  let server = await startServerProcess({ ...serverEnv, ...env }, 180_000, entry);
  const pid = server.child.pid!;
  try {
    await new Promise((r) => setTimeout(r, 2_000)); // settle: the figure is the service at rest, not starting
    const rssRestMb = rssMb(pid);
    const token = await login(server, password);
    const firstIntakeMs = await timed(() =>
      fetch(`${server.url}/api/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: reportBody(),
      }),
    );
    // Warm-up, not measured: a fresh process's first requests load what it loads lazily (the word
    // segmenter's dictionary for the first report's entities, ~0.3 s), and every pool connection's first
    // statements are parsed and planned; the figures are those of a service that has been running.
    await cannon('warm-up', { ...intake(server, token), duration: WARM_UP_SECONDS });
    const tpcb = pgbenchNow.tpcb();
    const { result: intakeFig, peakMb } = await peakRss(pid, () =>
      client === 'wrk'
        ? wrk('staff POST /api/reports', `${server.url}/api/reports`, 'intake.lua', [
            token,
            `b-${randomBytes(4).toString('hex')}`,
          ])
        : cannon('staff POST /api/reports', intake(server, token)),
    );
    // The reports' follow-up jobs (notices, survey rounds) run beside the intake; what is left when it
    // ends drains before the read is measured, so the read is not charged for the intake's work.
    const drainSeconds = await drained(server);
    const select = pgbenchNow.select();
    const caseNo = await someCaseNo(server, token);
    const readUrl = `${server.url}/api/public/cases/${caseNo}`;
    const { result: readFig, peakMb: readPeak } = await peakRss(pid, () =>
      client === 'wrk'
        ? wrk('GET /api/public/cases/:no', readUrl)
        : cannon('GET /api/public/cases/:no', { url: readUrl }),
    );
    const target = Math.max(1, Math.round(tpcb / 2));
    const halfRate = await cannon(
      `staff POST /api/reports at ${target}/s`,
      intake(server, token, { overallRate: target }),
    );
    await stopProcess(server);

    // Round trips per request, counted by a second start of the same database with the bench-only header on.
    server = await startServerProcess({ ...serverEnv, ...env, DB_STATEMENT_COUNT: 'true' }, 180_000, entry);
    const token2 = await login(server, password);
    const statements = {
      intake: await statementsPer(() =>
        fetch(`${server.url}/api/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token2}` },
          body: reportBody(),
        }),
      ),
      read: await statementsPer(() => fetch(`${server.url}/api/public/cases/${caseNo}`)),
    };
    return {
      backend,
      intake: intakeFig,
      read: readFig,
      halfRate: { ...halfRate, target },
      rssRestMb,
      rssPeakMb: Math.max(peakMb, readPeak),
      statements,
      drainSeconds,
      firstIntakeMs,
      tpcb,
      select,
    };
  } finally {
    await stopProcess(server);
  }
}

const admin = new pg.Client({ connectionString: base });
await admin.connect();
const url = new URL(base);
const dbUrl = (name: string) => Object.assign(new URL(base), { pathname: `/${name}` });
const name = `bench_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');
const results: Array<BackendFigures & { tpcb: number; select: number }> = [];
const f0 = (x: number) => Math.round(x).toLocaleString('en-US');
let dispositions = '';
const loads: string[] = [load()];

// pgbench's own database, initialised afresh: scale = clients, so TPC-B's branch rows do not serialise them.
const benchDb = dbUrl('bench_pg');
const exists = await admin.query(`select 1 from pg_database where datname = 'bench_pg'`);
if (!exists.rowCount) await admin.query('CREATE DATABASE bench_pg');
pgbench(benchDb, ['-i', '-q', '-s', String(connections)]);
const jobs = String(Math.min(connections, 2));
const pgbenchNow = {
  tpcb: () => pgbench(benchDb, ['-n', '-c', String(connections), '-j', jobs, '-T', String(seconds)]).tps,
  select: () => pgbench(benchDb, ['-n', '-S', '-c', String(connections), '-j', jobs, '-T', String(seconds)]).tps,
};

try {
  if (!pgliteOnly) {
    await admin.query(`CREATE DATABASE ${name}`);
    const db = await openDatabase({ url: dbUrl(name).toString(), poolMax: 2 });
    await seedDemo(db.db, { agent: password });
    await db.close();
    const env = { DATABASE_URL: dbUrl(name).toString(), DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-bench-')) };
    results.push(await measure('PostgreSQL', env, password, pgbenchNow));
    loads.push(load());
    if (workers > 1) {
      results.push(
        await measure(
          `PostgreSQL, ${workers} workers`,
          { ...env, WEB_WORKERS: String(workers), DATABASE_POOL_MAX: String(Math.ceil(10 / workers)) },
          password,
          pgbenchNow,
        ),
      );
      loads.push(load());
    }
  }
  if (withPglite) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cg-bench-pglite-'));
    const db = await openDatabase({ dataDir: `${dataDir}/pgdata` });
    await seedDemo(db.db, { agent: password });
    await db.close();
    // PGlite is judged against the same PostgreSQL limit, measured again beside it.
    results.push(await measure('PGlite', { DATA_DIR: dataDir }, password, pgbenchNow));
    loads.push(load());
  }
  if (!pgliteOnly) {
    // What the intakes were: new cases, or reports attached to an open case nearby (each such attach
    // updates that case's row, so reports of one place queue on it and on its duplicate cell's lock).
    const db = new pg.Client({ connectionString: dbUrl(name).toString() });
    await db.connect();
    const { rows } = await db.query<{ disposition: string; n: number }>(
      "select disposition, count(*)::int as n from reports where idempotency_key like 'staff:%' group by 1 order by 1",
    );
    const targets = await db.query<{ n: number; top: number }>(
      'select count(*)::int as n, coalesce(max(duplicate_count), 0)::int as top from cases where duplicate_count > 0',
    );
    await db.end();
    const all = rows.reduce((sum, r) => sum + r.n, 0);
    dispositions = `${rows.map((r) => `${r.disposition} ${f0(r.n)} (${((100 * r.n) / all).toFixed(0)}%)`).join(', ')}; duplicates attached to ${f0(targets.rows[0].n)} cases, at most ${f0(targets.rows[0].top)} to one`;
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

console.log(
  `\nintake bench (${entry === serverEntry.compiled ? 'compiled dist/' : 'tsx'}): ${seconds} s × ${connections} connections per run (${client === 'wrk' ? `wrk -t${jobs}, half rate autocannon` : 'autocannon'}; pgbench -c ${connections} -j ${jobs}, scale ${connections}, on ${url.host}); load average ${loads.join(' → ')}\n`,
);
console.log('| backend | what | ours /s | p50 ms | p99 ms | failed | pgbench counterpart /s | ratio |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const row = (f: Figure, limitName: string, limit: number) =>
    console.log(
      `| ${r.backend} | ${f.title} | ${f0(f.rps)} | ${f.p50} | ${f.p99} | ${f.failed} | ${limitName} ${f0(limit)} | ${(f.rps / limit).toFixed(2)} |`,
    );
  row(r.intake, 'TPC-B', r.tpcb);
  row(r.read, '-S', r.select);
  row(r.halfRate, 'TPC-B / 2', r.halfRate.target);
}
console.log(
  '\n| backend | RSS at rest MB | RSS peak under load MB | statements per intake | statements per read | jobs drained after intake s | first intake after start ms |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(
    `| ${r.backend} | ${f0(r.rssRestMb)} | ${f0(r.rssPeakMb)} | ${r.statements.intake.toFixed(1)} | ${r.statements.read.toFixed(1)} | ${r.drainSeconds.toFixed(1)} | ${f0(r.firstIntakeMs)} |`,
  );
}
if (dispositions) console.log(`\nPostgreSQL's staff reports over all its runs: ${dispositions}`);
const [single, several] = [
  results.find((r) => r.backend === 'PostgreSQL'),
  results.find((r) => /workers$/.test(r.backend)),
];
if (single && several) {
  const gain = (a: Figure, b: Figure) => (b.rps / a.rps).toFixed(2);
  console.log(
    `\n${workers} workers against one process, PostgreSQL: intake ×${gain(single.intake, several.intake)}, status read ×${gain(single.read, several.read)}`,
  );
}
