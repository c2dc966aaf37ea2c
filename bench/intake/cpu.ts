/**
 * CPU per staff intake: the service's own CPU time (user + system, from /proc) over sequential
 * POST /api/reports, after a warm-up, divided by their count. One request at a time, so the figure
 * is the work each intake costs the one Node thread, not how well requests overlap. With --reads n,
 * then the same for n sequential status reads (GET /api/public/cases/:no of one of those cases,
 * answered from the instance's cache after the first).
 *   npm run bench:intake:cpu -- [--reports 300] [--reads 0] [--rest 0] [--pglite] [--compiled] [--no-jobs] [--profile dir]
 * --rest s first measures s seconds of the service at rest (5 s after it has logged in nobody yet has work for it):
 * its own CPU per second and, on a PostgreSQL of this machine, the database's (job polls, leases, heartbeats).
 * --no-jobs starts the service with JOBS=false: the intake without the follow-up jobs it queues.
 * --profile writes V8 CPU profiles (node --cpu-prof) into dir and prints the main thread's top self times during each measured part.
 * On a PostgreSQL on this machine it also gives the database's side: the CPU of all its server processes per
 * intake, against the same for a sequential pgbench TPC-B transaction (`-c 1`, in a database of its own) and
 * pgbench's own CPU, so the intake's whole cost can be set beside a TPC-B transaction's.
 * On PostgreSQL it also prints the WAL the server wrote per intake (the intakes and the jobs they queued) and per
 * sequential TPC-B transaction: the write volume, which does not drift with the machine's speed as CPU does.
 * Prints figures only; no thresholds.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/db/client.js';
import { seedDemo } from '../../server/seed/seed.js';
import { serverEntry, startServerProcess, stopProcess } from '../../tests/helpers/process.js';
import { pgbench } from './pgbench.js';
import { childrenCpuMs, cpuMs, postgresCpuMs, walBytes } from './serverSide.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const reports = Number(arg('reports') ?? 300);
const reads = Number(arg('reads') ?? 0);
const restSeconds = Number(arg('rest') ?? 0);
const profileDir = arg('profile');
const onPglite = process.argv.includes('--pglite');
const compiled = process.argv.includes('--compiled');
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const texts = ['东湖路上有个井盖没有了，路过的人很容易踩空', '学院路公交站旁边的路灯一到晚上就闪个不停'];

const localServer = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(base).hostname);

/** The database side is measured on a PostgreSQL server of this machine (its processes are readable). */
const watchPostgres = !onPglite && localServer && postgresCpuMs() !== null;

/**
 * CPU per transaction of pgbench's TPC-B run one client at a time (as our intakes are), in ms: the
 * PostgreSQL server's and pgbench's own, in a database of its own, made and dropped here.
 */
async function sequentialTpcb(
  admin: pg.Client,
  transactions: number,
): Promise<{ postgres: number; client: number; wal: number }> {
  const dbName = `${name}_pgbench`;
  const url = Object.assign(new URL(base), { pathname: `/${dbName}` });
  await admin.query(`CREATE DATABASE ${dbName}`);
  try {
    pgbench(url, ['-i', '-q', '-s', '1']);
    pgbench(url, ['-n', '-c', '1', '-t', '200']);
    const pg0 = postgresCpuMs()!;
    const client0 = childrenCpuMs();
    const wal0 = await walBytes(admin);
    pgbench(url, ['-n', '-c', '1', '-t', String(transactions)]);
    return {
      postgres: (postgresCpuMs()! - pg0) / transactions,
      client: (childrenCpuMs() - client0) / transactions,
      wal: ((await walBytes(admin)) - wal0) / transactions,
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

const password = randomBytes(12).toString('hex');
const name = `bench_cpu_${randomBytes(4).toString('hex')}`;
const admin = onPglite ? null : new pg.Client({ connectionString: base });
const env: Record<string, string> = {
  LOG_LEVEL: 'error',
  JOBS: process.argv.includes('--no-jobs') ? 'false' : 'true',
  CLASSIFY_RATE_PER_MINUTE: '1000000',
  PUBLIC_READ_RATE_PER_MINUTE: '100000000',
};
const dataDir = mkdtempSync(path.join(tmpdir(), 'cg-bench-cpu-'));
env.DATA_DIR = dataDir;
if (admin) {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  env.DATABASE_URL = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
}
const db = await openDatabase(admin ? { url: env.DATABASE_URL, poolMax: 2 } : { dataDir: `${dataDir}/pgdata` });
await seedDemo(db.db, { agent: password });
await db.close();

const entry = [...(compiled ? serverEntry.compiled : serverEntry.tsx)];
if (profileDir) entry.unshift('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
const server = await startServerProcess(env, 180_000, entry);
const pid = server.child.pid!;
let n = 0;
let caseNo = '';
/** The measured parts, on the monotonic clock V8's profile timestamps use (µs). */
const windows: Array<{ label: string; from: number; to: number }> = [];
const clock = () => Number(process.hrtime.bigint() / 1000n);
const loads = [loadavg()[0].toFixed(1)];
try {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'agent', password }),
  });
  const { token } = (await login.json()) as { token: string };
  const post = async () => {
    const i = n++;
    const res = await fetch(`${server.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        idempotencyKey: `c-${randomBytes(8).toString('hex')}`,
        channel: 'hotline',
        text: texts[i % texts.length],
        location: { lat: 30.201 + ((i * 7) % 880) * 0.0001, lng: 120.101 + ((i * 13) % 1780) * 0.0001 },
      }),
    });
    if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
    caseNo = ((await res.json()) as { case: { caseNo: string } }).case.caseNo;
  };
  const read = async () => {
    const res = await fetch(`${server.url}/api/public/cases/${caseNo}`);
    if (res.status !== 200) throw new Error(`status read answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  /** CPU of the service process per call of `work`, over `count` sequential calls after `warm` unmeasured ones. */
  const measure = async (label: string, work: () => Promise<void>, count: number, warm: number) => {
    for (let i = 0; i < warm; i++) await work();
    const window = { label, from: clock(), to: 0 };
    const before = cpuMs(pid);
    const pgBefore = watchPostgres ? postgresCpuMs() : null;
    const walBefore = admin ? await walBytes(admin) : null;
    const started = performance.now();
    for (let i = 0; i < count; i++) await work();
    const wall = (performance.now() - started) / count;
    const cpu = (cpuMs(pid) - before) / count;
    const pgAfter = pgBefore === null ? null : postgresCpuMs();
    const wal = walBefore === null ? null : ((await walBytes(admin!)) - walBefore) / count;
    window.to = clock();
    windows.push(window);
    loads.push(loadavg()[0].toFixed(1));
    return { cpu, wall, wal, postgres: pgBefore === null || pgAfter === null ? null : (pgAfter - pgBefore) / count };
  };
  const where = `${onPglite ? 'PGlite' : 'PostgreSQL'} (${compiled ? 'compiled' : 'tsx'})`;
  if (restSeconds > 0) {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(5_000);
    const before = cpuMs(pid);
    const pgBefore = watchPostgres ? postgresCpuMs() : null;
    await sleep(restSeconds * 1000);
    const service = (cpuMs(pid) - before) / restSeconds;
    const database = pgBefore === null ? null : (postgresCpuMs()! - pgBefore) / restSeconds;
    console.log(
      `${where} at rest, ${restSeconds} s: the service ${service.toFixed(1)} ms CPU per second` +
        (database === null ? '' : `, PostgreSQL (all its processes) ${database.toFixed(1)} ms per second`),
    );
  }
  const intake = await measure('intakes', post, reports, 50);
  console.log(
    `${where}: ${reports} sequential intakes, ${intake.cpu.toFixed(2)} ms CPU each (service process), ` +
      `${intake.wall.toFixed(1)} ms wall each; load ${loads.join(' → ')}`,
  );
  if (intake.postgres !== null && admin) {
    const tpcb = await sequentialTpcb(admin, reports);
    console.log(
      `PostgreSQL server, all its processes: ${intake.postgres.toFixed(2)} ms CPU per intake; ` +
        `per sequential pgbench TPC-B transaction ${(tpcb.postgres * 1000).toFixed(0)} µs ` +
        `(+ pgbench itself ${(tpcb.client * 1000).toFixed(0)} µs). Whole CPU per intake ` +
        `${(intake.cpu + intake.postgres).toFixed(2)} ms (service + database) against ` +
        `${((tpcb.postgres + tpcb.client) * 1000).toFixed(0)} µs per TPC-B transaction: ` +
        `${((intake.cpu + intake.postgres) / (tpcb.postgres + tpcb.client)).toFixed(1)}×`,
    );
    // The whole server's WAL over each window (the intakes with the jobs they queued; pgbench's run).
    console.log(
      `WAL written: ${Math.round(intake.wal!)} bytes per intake, ${Math.round(tpcb.wal)} per sequential TPC-B transaction`,
    );
  }
  if (reads > 0) {
    const status = await measure('status reads', read, reads, 200);
    console.log(
      `${where}: ${reads} sequential status reads, ${(status.cpu * 1000).toFixed(0)} µs CPU each (service process), ` +
        `${(status.wall * 1000).toFixed(0)} µs wall each; load ${loads.at(-1)}`,
    );
  }
} finally {
  await stopProcess(server, 'SIGINT');
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (profileDir) {
  const file = readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(profileDir, f))
    // One profile per thread (tsx's loader has its own); the main thread's is the biggest.
    .sort((a, b) => statSync(a).size - statSync(b).size)
    .at(-1);
  // The measured windows beside the profiles, for reading them further (inclusive times, flame graphs).
  writeFileSync(path.join(profileDir, 'windows.json'), JSON.stringify(windows));
  if (file) for (const window of windows) printTop(JSON.parse(readFileSync(file, 'utf8')), window);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time by function and by package, from the samples. */
function printTop(
  profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number },
  window: { label: string; from: number; to: number },
) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    at += profile.timeDeltas[i] ?? 0;
    if (at >= window.from && at <= window.to) self.set(id, (self.get(id) ?? 0) + delta);
  });
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    busy += us;
    const file = url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '');
    const key = `${functionName || '(anon)'} ${file.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = url.includes('node_modules/')
      ? url
          .split('node_modules/')
          .at(-1)!
          .split('/')
          .slice(0, url.includes('node_modules/@') ? 2 : 1)
          .join('/')
      : url.startsWith('node:') || !url
        ? functionName.startsWith('(')
          ? functionName
          : 'node'
        : url.includes('/server/')
          ? 'server/' + url.split('/server/')[1].split('/')[0]
          : 'other';
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([key, us]) => `  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${key}`);
  console.log(
    `\nprofile of the measured ${window.label} (main thread, busy ${(busy / 1000).toFixed(0)} ms), self time by package:`,
  );
  console.log(top(pkgs, 15).join('\n'));
  console.log('by function:');
  console.log(top(fns, 25).join('\n'));
}
