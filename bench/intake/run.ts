/**
 * Intake throughput and latency against a real PostgreSQL, beside a bare Koa
 * route measured in the same run with the same load tool (autocannon).
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/intake/run.ts [--seconds 10] [--connections 10]
 * Prints figures only; no thresholds.
 */
import autocannon from 'autocannon';
import Koa from 'koa';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { openDatabase } from '../../server/db/client.js';
import { seedDemo } from '../../server/seed/seed.js';
import { startServerProcess, stopProcess } from '../../tests/helpers/process.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 10);
const connections = arg('connections', 10);
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const texts = [
  '东湖路上有个井盖没有了，路过的人很容易踩空',
  '文昌路口那家水果店把摊子摆到人行道上了',
  '学院路公交站旁边的路灯一到晚上就闪个不停',
  '望江小区北门的垃圾桶满了好几天没人清',
];

async function run(title: string, opts: autocannon.Options) {
  const result = await autocannon({ duration: seconds, connections, ...opts });
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}

const name = `bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const dbUrl = url.toString();
const password = randomBytes(12).toString('hex');
{
  const db = await openDatabase({ url: dbUrl, poolMax: 2 });
  await seedDemo(db.db, { agent: password });
  await db.close();
}
const server = await startServerProcess({
  DATABASE_URL: dbUrl,
  DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-bench-')),
  OPEN311_API_KEYS: 'bench-key',
  LOG_LEVEL: 'error',
  JOBS: 'true',
  CLASSIFY_RATE_PER_MINUTE: '1000000',
});

const bare = new Koa();
bare.use((ctx) => {
  ctx.body = { ok: true };
});
const bareServer = bare.listen(0, '127.0.0.1');
await once(bareServer, 'listening');
const bareUrl = `http://127.0.0.1:${(bareServer.address() as any).port}/`;

try {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'agent', password }),
  });
  const token = (await login.json()).token as string;
  let n = 0;
  const point = () => {
    const i = n++;
    // Spread points so that most reports open new cases rather than merge as duplicates.
    return { lat: 30.201 + ((i * 7) % 880) * 0.0001, lng: 120.101 + ((i * 13) % 1780) * 0.0001 };
  };

  const results = [];
  results.push(await run('bare Koa route (200)', { url: bareUrl }));
  results.push(
    await run('Open311 POST requests.json', {
      url: `${server.url}/open311/v2/requests.json`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      setupClient(client) {
        client.setBody = client.setBody.bind(client);
      },
      requests: [
        {
          setupRequest(req) {
            const p = point();
            const body = new URLSearchParams({
              api_key: 'bench-key',
              service_code: '200201',
              lat: String(p.lat),
              long: String(p.lng),
              description: texts[n % texts.length],
            });
            return {
              ...req,
              headers: { ...req.headers, 'idempotency-key': `b-${randomBytes(8).toString('hex')}` },
              body: body.toString(),
            };
          },
        },
      ],
    }),
  );
  results.push(
    await run('staff POST /api/reports', {
      url: `${server.url}/api/reports`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      requests: [
        {
          setupRequest(req) {
            return {
              ...req,
              body: JSON.stringify({
                idempotencyKey: `b-${randomBytes(8).toString('hex')}`,
                channel: 'hotline',
                text: texts[n % texts.length],
                location: point(),
              }),
            };
          },
        },
      ],
    }),
  );
  const sample = await fetch(`${server.url}/open311/v2/requests.json`).then((r) => r.json());
  const caseNo = sample[0].service_request_id;
  results.push(
    await run('case-status read GET /api/public/cases/:no', { url: `${server.url}/api/public/cases/${caseNo}` }),
  );

  const bareRps = results[0].rps;
  console.log(`\nintake bench on PostgreSQL, ${seconds} s × ${connections} connections per run (autocannon)\n`);
  console.log('| endpoint | req/s | p50 ms | p99 ms | non-2xx | errors | ratio to bare Koa |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.title} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${(r.rps / bareRps).toFixed(3)} |`,
    );
  }
} finally {
  bareServer.close();
  await stopProcess(server);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
