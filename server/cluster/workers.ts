import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { gatherWorkerMetrics } from './metrics.js';

/** A worker that dies younger than this is restarted after a pause, so a crash at start cannot spin. */
const STEADY_MS = 10_000;
const RESTART_PAUSE_MS = 1_000;
/** Workers get this long to finish their requests and close their connections on SIGTERM. */
const STOP_GRACE_MS = 15_000;

/**
 * WEB_WORKERS > 1: this process forks that many workers, each a whole instance of the service
 * (its own pool, jobs and place in the singletons' lease, as separate instances are), and
 * node:cluster shares the one listening port among them. A worker that dies is replaced; SIGTERM
 * or SIGINT is passed on to every worker and this process ends when they have.
 * Start-up work (migrations, seed, pg-boss's queues) already takes turns under the start-up lock.
 */
export function superviseWorkers(count: number, log: Logger): void {
  let stopping = false;
  let exitCode = 0;
  let everListened = false;
  const bornAt = new Map<Worker, number>();

  function fork() {
    const worker = cluster.fork();
    bornAt.set(worker, Date.now());
    worker.once('listening', () => (everListened = true));
  }

  cluster.on('exit', (worker, code, signal) => {
    const age = Date.now() - (bornAt.get(worker) ?? 0);
    bornAt.delete(worker);
    if (stopping) {
      if (bornAt.size === 0) process.exit(exitCode);
      return;
    }
    const how = { pid: worker.process.pid, code, signal };
    if (!everListened) {
      // No worker ever started: a bad database or setting, which a restart would only repeat.
      log.fatal(how, 'a web worker failed before any worker started; stopping');
      stopAll('worker failed at start', 1);
      return;
    }
    log.warn(how, 'web worker died; starting another');
    setTimeout(() => stopping || fork(), age < STEADY_MS ? RESTART_PAUSE_MS : 0);
  });

  function stopAll(reason: string, code = 0) {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log.info({ reason, workers: bornAt.size }, 'stopping web workers');
    if (bornAt.size === 0) process.exit(exitCode);
    for (const worker of bornAt.keys()) worker.process.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const worker of bornAt.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_GRACE_MS);
    force.unref();
  }

  gatherWorkerMetrics();
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
  log.info({ workers: count, pid: process.pid }, 'starting web workers');
  for (let i = 0; i < count; i++) fork();
}
