import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exited, startServerProcess, stopProcess, type ServerProcess } from '../helpers/process.js';
import { until } from '../helpers/wait.js';
import { clusterDatabase, instanceEnv } from './helpers.js';

/**
 * WEB_WORKERS=2: server/main.ts as a node:cluster primary with two workers on one port. Each
 * worker is an instance (its id, with its pid, in /readyz). PostgreSQL only: with PGlite the
 * setting is refused at start (tests/foundation/config.test.ts).
 */
const onPostgres = !!process.env.DATABASE_URL;

// PGlite: skipped, one process by nature.

/** /readyz over a connection of its own (a kept-alive one would stay with one worker): the answering pid. */
function answeringPid(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/readyz`, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`/readyz ${res.statusCode}: ${body}`));
        const instance = (JSON.parse(body) as { cluster: { instance: string } }).cluster.instance;
        resolve(Number(/-(\d+)-[0-9a-f]+$/.exec(instance)![1]));
      });
    });
    req.on('error', reject);
  });
}

/** Our /readyz requests answered 200, per worker pid. */
const answeredBy = new Map<number, number>();
async function countedPid(url: string): Promise<number> {
  const pid = await answeringPid(url);
  answeredBy.set(pid, (answeredBy.get(pid) ?? 0) + 1);
  return pid;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.runIf(onPostgres)('WEB_WORKERS=2 on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof clusterDatabase>>;
  let service: ServerProcess;
  const seen = new Set<number>();

  /** Asks over fresh connections until two different workers have answered. */
  const twoAnswering = (what: string) =>
    until(
      async () => {
        seen.add(await countedPid(service.url));
        return seen.size >= 2;
      },
      60_000,
      what,
    );

  beforeAll(async () => {
    db = await clusterDatabase();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cg-workers-'));
    service = await startServerProcess(instanceEnv(db.url, { WEB_WORKERS: '2', DATA_DIR: dataDir }), 180_000);
  }, 200_000);

  afterAll(async () => {
    if (service) await stopProcess(service, 'SIGKILL');
    await db?.drop();
  });

  let workers: number[] = [];

  it('answers from two worker processes on the one port, neither of them the primary', async () => {
    await twoAnswering('two workers answering');
    workers = [...seen];
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(service.child.pid);
    expect(workers.every(isRunning)).toBe(true);
  }, 70_000);

  it('answers /metrics for both workers together, whichever takes the scrape', async () => {
    await twoAnswering('two workers answering');
    const pids = [...seen];
    await until(
      async () => {
        if (pids.every((pid) => (answeredBy.get(pid) ?? 0) >= 2)) return true;
        await countedPid(service.url);
        return false;
      },
      60_000,
      'each worker answering twice',
    );
    const ours = [...answeredBy.values()].reduce((a, b) => a + b, 0);
    // One worker alone has counted at most ours less the other's (two or more) plus the start-up probe.
    const res = await fetch(`${service.url}/metrics`);
    const text = await res.text();
    const count = /http_request_duration_seconds_count\{method="GET",route="\/readyz",status="200"\} (\d+)/.exec(text);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(ours);
    expect(text).toMatch(/^cluster_leader 1$/m);
  }, 70_000);

  it('keeps answering when a worker is killed, and replaces it', async () => {
    const [victim, survivor] = workers;
    process.kill(victim, 'SIGKILL');
    await until(() => !isRunning(victim), 10_000, 'the killed worker gone');
    // Right after the kill, every request is answered (by the survivor, until the new worker listens).
    const answered = [];
    for (let i = 0; i < 10; i++) answered.push(await answeringPid(service.url));
    expect(answered.every((pid) => pid !== victim)).toBe(true);
    seen.clear();
    await twoAnswering('a replacement worker answering');
    const now = [...seen];
    expect(now).toContain(survivor);
    expect(now).not.toContain(victim);
    workers = now;
    expect(service.output()).toMatch(/web worker died; starting another/);
  }, 90_000);

  it('stops every worker and itself on SIGTERM', async () => {
    service.child.kill('SIGTERM');
    await exited(service);
    expect(service.child.exitCode).toBe(0);
    await until(() => workers.every((pid) => !isRunning(pid)), 20_000, 'workers gone');
    expect(workers.some(isRunning)).toBe(false);
  }, 40_000);
});
