import cluster from 'node:cluster';
import { once } from 'node:events';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import { startJobs } from './jobs/boss.js';
import { buildServices } from './services.js';
import { createApp } from './app.js';
import { seedDemo } from './seed/seed.js';
import { printAccounts } from './seed/print.js';
import { routeFactories, startWorkers } from './wiring.js';
import { loadClassifier } from './classify.js';
import type { DecodedModel } from '../nlp/classifier/preread.js';

/**
 * One instance of the whole service: the database, jobs, singletons' lease and HTTP. Run by
 * server/main.ts itself, or by each of its WEB_WORKERS (node:cluster shares the port among them).
 */
export async function serve(
  config: Config,
  log: Logger,
  /** The classifier's model, being read on a worker thread since the process started (server/main.ts). */
  model?: Promise<DecodedModel | null>,
): Promise<void> {
  const started = performance.now();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: `${config.DATA_DIR}/pgdata`,
    poolMax: config.DATABASE_POOL_MAX,
    countStatements: config.DB_STATEMENT_COUNT,
    template: async () => (await import('./seed/pgliteTemplate.js')).findTemplate(),
  });
  // Instances starting together on a fresh database take turns: seeding twice would clash, and
  // pg-boss creating the same queues at once deadlocks.
  const { seed, jobs } = await database.exclusively(async () => ({
    seed: await seedDemo(database.db),
    jobs: config.JOBS ? await startJobs(database, log, config) : null,
  }));
  const classifier = await loadClassifier(config, log, model);
  const services = buildServices(config, log, database, jobs, classifier);
  const runtime = await startWorkers(services);
  const app = createApp(services, routeFactories(runtime));
  const server = app.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ port, database: database.kind, ms: Math.round(performance.now() - started) }, 'service started');

  // Of several workers the first one started says it; the accounts come from whichever seeded.
  if (!cluster.isWorker || cluster.worker?.id === 1) printBanner(config, port, database.kind);
  if (seed.seeded) printAccounts(seed.accounts);

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close();
    await runtime.stop().catch(() => {});
    await jobs?.stop().catch(() => {});
    await database.close().catch(() => {});
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function printBanner(config: Config, port: number, kind: string) {
  const base = `http://localhost:${port}`;
  const workers = config.webWorkers > 1 ? `, ${config.webWorkers} 个工作进程 / workers` : '';
  process.stdout.write(
    [
      '',
      `城管热线受理服务已启动 / service is up (${kind === 'pglite' ? `PGlite, 数据目录 ${config.DATA_DIR}` : 'PostgreSQL'}${workers})`,
      `  API          ${base}/api`,
      `  管理后台     ${base}/admin/`,
      `  小程序 H5    ${base}/m/`,
      `  健康检查     ${base}/healthz  ${base}/readyz`,
      '',
    ].join('\n') + '\n',
  );
}
