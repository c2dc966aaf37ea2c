/**
 * The database's floor for an intake: what PostgreSQL itself does per staff intake, without our service.
 * One staff intake of each of the bench's four texts is made through the service in this process, and
 * the statements it sends (texts, values, and which went out together in one round trip) are recorded.
 * pgbench then replays them as its own transactions (prepared, with each round trip a pipeline), with the
 * values that differ from one report to the next as pgbench variables: the case's and report's ids, the
 * idempotency key, the point (and the duplicate search's box and cell lock derived from it, spread over
 * the demo city as bench/intake/intake.lua spreads it). Everything else is sent as recorded.
 * TPC-B runs beside it, alternately, with the same clients and threads as bench/intake/run.ts, on the same
 * PostgreSQL: the replay's ratio to TPC-B is the most any service could reach with these statements,
 * since the replay's client (pgbench, C) costs less than any service that classifies, routes and answers
 * over HTTP. Also printed, from runs of one client: the WAL per transaction of each.
 *   npx tsx bench/intake/floor.ts [--seconds 10] [--rounds 2] [--connections 10] [--keep-script file] [--sql "drop index …"]
 * Prints figures only; no thresholds. PostgreSQL only (DATABASE_URL, default the local test database).
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pgbench } from './pgbench.js';
import { walBytes } from './serverSide.js';
import { pgbenchScript } from './replay.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(arg('seconds') ?? 10);
const rounds = Number(arg('rounds') ?? 2);
const connections = Number(arg('connections') ?? 10);
const keepScript = arg('keep-script');
/** SQL run on the replay's database after recording, before replaying: what-ifs (`drop index …`) to see what a write costs. */
const before = arg('sql');
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.DATABASE_URL = base;

/** The bench's texts and points (bench/intake/intake.lua): one recorded intake per text. */
const texts = [
  '东湖路上有个井盖没有了，路过的人很容易踩空',
  '文昌路口那家水果店把摊子摆到人行道上了',
  '学院路公交站旁边的路灯一到晚上就闪个不停',
  '望江小区北门的垃圾桶满了好几天没人清',
];

// --- record the service's statements ---
const { createTestContext } = await import('../../tests/helpers/context.js');
const { watchTransactions } = await import('../../tests/helpers/db.js');
const ctx = await createTestContext({ jobs: false, env: { LOG_LEVEL: 'error', CLASSIFY_RATE_PER_MINUTE: '100000' } });
const dbUrl = new URL(ctx.services.database.url!);
const scripts: Array<{ file: string; script: string; trips: number; statements: number }> = [];
const dir = mkdtempSync(path.join(tmpdir(), 'cg-floor-'));
let admin: pg.Client | undefined;
try {
  const token = await ctx.login('agent');
  const post = async (text: string, n: number) => {
    const lat = Number((30.201 + ((n * 7) % 880) * 0.0001).toFixed(4));
    const lng = Number((120.101 + ((n * 13) % 1780) * 0.0001).toFixed(4));
    const key = `floor-${randomBytes(6).toString('hex')}`;
    const res = await ctx
      .http()
      .post('/api/reports')
      .set('authorization', `Bearer ${token}`)
      .send({ idempotencyKey: key, channel: 'hotline', text, location: { lat, lng } });
    if (res.status !== 201 || res.body.report.disposition !== 'opened')
      throw new Error(`intake answered ${res.status}, not a new case: ${JSON.stringify(res.body)}`);
    return {
      caseId: res.body.case.id as string,
      reportId: res.body.report.id as string,
      key: `staff:${key}`,
      lat,
      lng,
    };
  };
  // Warm: the routing rules, the categories and the prepared statements, as in a serving process.
  for (let n = 0; n < 8; n++) await post(texts[n % texts.length], 1000 + n);
  for (const [t, text] of texts.entries()) {
    const watch = watchTransactions(ctx.services.database);
    const intake = await post(text, 2000 + t * 97).finally(watch.restore);
    const { script, trips, statements } = pgbenchScript(watch.statements, intake);
    const file = path.join(dir, `intake-${t}.sql`);
    writeFileSync(file, script);
    scripts.push({ file, script, trips, statements });
  }
  if (keepScript) writeFileSync(keepScript, scripts.map((s) => `-- ${s.file}\n${s.script}`).join('\n'));

  admin = new pg.Client({ connectionString: base });
  await admin.connect();
  if (before) {
    const floorDb = new pg.Client({ connectionString: dbUrl.toString() });
    await floorDb.connect();
    await floorDb.query(before).finally(() => floorDb.end());
    console.log(`before the replay: ${before}`);
  }
  // --- TPC-B's database, as bench/intake/run.ts makes it ---
  const tpcbName = `bench_floor_${randomBytes(3).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${tpcbName}`);
  const tpcbUrl = Object.assign(new URL(base), { pathname: `/${tpcbName}` });
  try {
    pgbench(tpcbUrl, ['-i', '-q', '-s', String(connections)]);
    const threads = String(Math.min(connections, 2));
    const concurrent = ['-n', '-c', String(connections), '-j', threads, '-T', String(seconds)];
    const replay = scripts.flatMap((s) => ['-f', s.file]);
    // Prepared statements, as the service's are; the same four scripts, equally often.
    const floorArgs = ['-M', 'prepared', ...replay];
    /**
     * The WAL per transaction, one client at a time: the volume each writes, which does not drift with
     * the machine's speed (CPU per transaction does, by a quarter here: bench/intake/cpu.ts prints it).
     */
    const walPer = async (url: URL, args: string[], transactions: number) => {
      const wal0 = await walBytes(admin!);
      pgbench(url, [...args, '-n', '-c', '1', '-t', String(transactions)]);
      return ((await walBytes(admin!)) - wal0) / transactions;
    };
    const tpcbWal = await walPer(tpcbUrl, [], 2000);
    const floorWal = await walPer(dbUrl, floorArgs, 2000);

    const loads = [loadavg()[0].toFixed(1)];
    const pairs: Array<{ tpcb: number; floor: number }> = [];
    for (let r = 0; r < rounds; r++) {
      const tpcb = pgbench(tpcbUrl, concurrent).tps;
      const floor = pgbench(dbUrl, [...floorArgs, ...concurrent]).tps;
      pairs.push({ tpcb, floor });
      loads.push(loadavg()[0].toFixed(1));
    }
    const f0 = (x: number) => Math.round(x).toLocaleString('en-US');
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `The intake's statements replayed by pgbench (${connections} clients, ${threads} threads, ${seconds} s):`,
    );
    console.log(
      `  recorded: ${scripts.map((s) => `${s.statements} statements in ${s.trips} round trips`).join('; ')} (one script per text)`,
    );
    for (const [r, p] of pairs.entries())
      console.log(
        `  round ${r + 1}: replay ${f0(p.floor)}/s, TPC-B ${f0(p.tpcb)}/s: ${ratio(p.floor, p.tpcb)} of TPC-B`,
      );
    const floorSum = pairs.reduce((a, p) => a + p.floor, 0);
    const tpcbSum = pairs.reduce((a, p) => a + p.tpcb, 0);
    console.log(
      `  all rounds: ${ratio(floorSum, tpcbSum)} of TPC-B — the most an intake could reach with these statements`,
    );
    console.log(`  WAL per transaction, one client: ${f0(floorWal)} bytes against TPC-B's ${f0(tpcbWal)}`);
    console.log(`  load average: ${loads.join(' → ')}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${tpcbName} WITH (FORCE)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await admin?.end();
  await ctx.close();
}
