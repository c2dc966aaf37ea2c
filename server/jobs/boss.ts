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

export async function startJobs(database: Database, log: Logger): Promise<Jobs> {
  const boss = new PgBoss({
    db: database.executor,
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
      await boss.work(queue, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) => {
        await handler(job.data as any, job as any);
      });
    },
    async depth() {
      const names = [...Object.values(queues).map((q) => q.name), DEAD_LETTER_QUEUE];
      const out: Record<string, number> = {};
      for (const n of names) out[n] = await boss.getQueueSize(n);
      return out;
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 5000 }),
  };
}
