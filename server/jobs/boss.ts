import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { executorFor, type Database, type DbOrTx } from '../db/client.js';
import { DEAD_LETTER_QUEUE, queues, type QueueName } from './queues.js';

export type JobHandler<T = any> = (data: T, job: PgBoss.Job<T>) => Promise<void>;

export interface Jobs {
  boss: PgBoss;
  /** Enqueue inside the caller's transaction: the job exists if and only if the change commits. */
  enqueue<T extends object>(
    tx: DbOrTx,
    queue: QueueName,
    data: T,
    options?: PgBoss.SendOptions,
  ): Promise<string | null>;
  work<T>(queue: QueueName, handler: JobHandler<T>): Promise<void>;
  depth(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * pg-boss leaves some of its own statements in flight when stop() returns: a worker's fetch that
 * was under way still hands its job to the handler, and the job's completion is written without
 * being awaited. Counting our executor's open statements and our running handlers lets stop()
 * wait until both are done, so the database is never closed under them.
 */
function inFlight() {
  let open = 0;
  return {
    track<T>(work: () => Promise<T>): Promise<T> {
      open++;
      return work().finally(() => open--);
    },
    get idle() {
      return open === 0;
    },
  };
}

const QUIESCE_TIMEOUT_MS = 10_000;

async function settle(...counters: Array<{ idle: boolean }>) {
  const idle = () => counters.every((c) => c.idle);
  const end = Date.now() + QUIESCE_TIMEOUT_MS;
  // Idle on two looks a little apart: a fetch that just returned may be about to start a handler.
  while (Date.now() < end) {
    if (idle()) {
      await new Promise((r) => setTimeout(r, 50));
      if (idle()) return;
    } else await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startJobs(database: Database, log: Logger): Promise<Jobs> {
  const statements = inFlight();
  const handlers = inFlight();
  const boss = new PgBoss({
    db: { executeSql: (text, values) => statements.track(() => database.executor.executeSql(text, values)) },
    schema: 'pgboss',
    supervise: true,
    schedule: true,
    monitorStateIntervalSeconds: 60,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  await boss.createQueue(DEAD_LETTER_QUEUE);
  for (const q of Object.values(queues)) {
    const { name, ...policy } = q;
    await boss.createQueue(name, { name, ...policy, deadLetter: DEAD_LETTER_QUEUE });
  }
  return {
    boss,
    enqueue: (tx, queue, data, options = {}) => boss.send(queue, data, { ...options, db: executorFor(tx) }),
    async work(queue, handler) {
      await boss.work(queue, { pollingIntervalSeconds: 0.5, batchSize: 1 }, ([job]) =>
        handlers.track(() => handler(job.data as any, job as any)),
      );
    },
    async depth() {
      const names = [...Object.values(queues).map((q) => q.name), DEAD_LETTER_QUEUE];
      const out: Record<string, number> = {};
      for (const n of names) out[n] = await boss.getQueueSize(n);
      return out;
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      await settle(statements, handlers);
    },
  };
}
