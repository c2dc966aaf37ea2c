/**
 * Intake against 1, 2 and 3 instances on one PostgreSQL, side by side: each run gets a
 * fresh database, starts the instances as separate processes, spreads Open311 submissions
 * over them round-robin, then replays a share of the acknowledged ones to another instance
 * (as a client retrying through the balancer would) and counts what was stored.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/instances/run.ts [--seconds 10] [--connections 12]
 * Prints figures only; on 2 shared cores the point is that nothing is lost or doubled.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { openDatabase } from '../../server/db/client.js';
import { seedDemo } from '../../server/seed/seed.js';
import { instanceEnv, startInstances, stopAll, type Instance } from '../../tests/cluster/helpers.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 10);
const connections = arg('connections', 12);
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const texts = [
  '东湖路上有个井盖没有了，路过的人很容易踩空',
  '文昌路口那家水果店把摊子摆到人行道上了',
  '学院路公交站旁边的路灯一到晚上就闪个不停',
  '望江小区北门的垃圾桶满了好几天没人清',
];

function submit(url: string, key: string, i: number) {
  const body = new URLSearchParams({
    api_key: 'cluster-key',
    service_code: '200201',
    // Spread points so that most reports open new cases rather than merge as duplicates.
    lat: String(30.201 + ((i * 7) % 880) * 0.0001),
    long: String(120.101 + ((i * 13) % 1780) * 0.0001),
    description: texts[i % texts.length],
  });
  return fetch(`${url}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': key },
    body,
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function load(instances: Instance[], run: string, duration = seconds) {
  const latencies: number[] = [];
  const acked = new Map<string, { caseNo: string; i: number }>();
  let failed = 0;
  let n = 0;
  const end = Date.now() + duration * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const i = n++;
        const key = `${run}-${i}`;
        const started = performance.now();
        try {
          const res = await submit(instances[i % instances.length].url, key, i);
          const body = await res.json();
          latencies.push(performance.now() - started);
          if (res.status === 201) acked.set(key, { caseNo: body[0].service_request_id, i });
          else failed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { latencies, acked, failed };
}

async function measure(count: number) {
  const name = `bench_inst_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolMax: 2 });
  await seedDemo(database.db);
  const instances = await startInstances(
    count,
    instanceEnv(url.toString(), { LOG_LEVEL: 'error', CLASSIFY_RATE_PER_MINUTE: '1000000' }),
  );
  try {
    // A short warm-up first (lazy caches, the JIT), not counted.
    await load(instances, `warm${count}-${randomBytes(3).toString('hex')}`, 3);
    const run = `bi${count}-${randomBytes(3).toString('hex')}`;
    const { latencies, acked, failed } = await load(instances, run);
    // Retries of one in ten acknowledged submissions, each to the next instance over.
    let replayed = 0;
    let replayMismatch = 0;
    for (const [key, { caseNo, i }] of [...acked].filter((_, j) => j % 10 === 0)) {
      const res = await submit(instances[(i + 1) % instances.length].url, key, i);
      const body = await res.json();
      replayed++;
      if (res.status !== 200 || body[0].service_request_id !== caseNo) replayMismatch++;
    }
    const { rows } = await database.executor.executeSql(
      `select count(*)::int as stored, count(distinct idempotency_key)::int as keys from reports where idempotency_key like $1`,
      [`%${run}-%`],
    );
    return {
      count,
      rps: latencies.length / seconds,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      acked: acked.size,
      failed,
      replayed,
      replayMismatch,
      stored: rows[0].stored as number,
      doubled: (rows[0].stored as number) - (rows[0].keys as number),
    };
  } finally {
    await stopAll(instances);
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const loadBefore = loadavg()[0];
const results = [];
for (const count of [1, 2, 3]) results.push(await measure(count));

console.log(
  `\nintake over 1, 2 and 3 instances on one PostgreSQL: Open311 POST, ${seconds} s, ${connections} connections round-robin` +
    ` (machine load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after)\n`,
);
console.log(
  '| instances | req/s | p50 ms | p99 ms | acknowledged | stored | lost | doubled | retries answered alike |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(
    `| ${r.count} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.acked} | ${r.stored} | ${r.acked - r.stored} | ${r.doubled} | ${r.replayed - r.replayMismatch}/${r.replayed} |`,
  );
}
const bad = results.filter((r) => r.acked !== r.stored || r.doubled || r.replayMismatch || r.failed);
if (bad.length) {
  console.error(`\nlost, doubled or failed submissions with ${bad.map((r) => r.count).join(', ')} instance(s)`);
  process.exitCode = 1;
}
