import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { executorFor, type Database, type DbOrTx } from '../db/client.js';
import type { HeldWrites } from '../db/heldWrites.js';
import { DEAD_LETTER_QUEUE, queuePolicies, type JobPayloads, type QueueName, type QueueSettings } from './queues.js';

export type JobHandler<Q extends QueueName> = (data: JobPayloads[Q], job: PgBoss.Job<JobPayloads[Q]>) => Promise<void>;

/** One handler per queue, each typed by its queue's payload. */
export type JobHandlers = { [Q in QueueName]: JobHandler<Q> };

export interface Jobs {
  boss: PgBoss;
  /** Enqueue inside the caller's transaction: the job exists if and only if the change commits. */
  enqueue<Q extends QueueName>(
    tx: DbOrTx,
    queue: Q,
    data: JobPayloads[Q],
    options?: PgBoss.SendOptions,
  ): Promise<string | null>;
  /**
   * The same job row as `enqueue`, but held with the transaction's other held writes and sent with
   * them (db/heldWrites.ts): it exists if and only if the change commits, at no round trip of its own.
   */
  hold<Q extends QueueName>(held: HeldWrites, queue: Q, data: JobPayloads[Q], options?: PgBoss.SendOptions): string;
  work<Q extends QueueName>(queue: Q, handler: JobHandler<Q>): Promise<void>;
  /** Announces a job made ready outside `enqueue` and `hold` (an operator's retry), so it need not wait for a poll. */
  announce(queue: string): Promise<void>;
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
/**
 * Every job sent through `enqueue` or `hold` is announced on this channel with its queue's name, at the
 * sender's commit: the queue's worker on every instance looks at once, so a worker need not poll often
 * to start a job quickly. Polling (`JOB_POLL_SECONDS`) remains for what nobody announces: a retry once
 * its delay is up, pg-boss's own schedules, a job an operator retries.
 */
export const JOB_SENT_CHANNEL = 'cg_job_sent';
/** A wake-up waits this long for more sends to its queue, so that a burst is fetched in batches. */
const WAKE_DELAY_MS = 50;

/** A job due later is not announced (its worker would find nothing yet): the poll finds it once it is due. */
function announced(options: PgBoss.SendOptions): boolean {
  const at = options.startAfter;
  if (at === undefined) return true;
  if (typeof at === 'number') return at <= 0;
  return !((at instanceof Date ? at.getTime() : Date.parse(at)) > Date.now());
}

/** The announcement of a job sent to `queue`, through `db` (a transaction: delivered at its commit). */
const announceSent = (db: Pick<ReturnType<typeof executorFor>, 'executeSql'>, queue: string) =>
  db.executeSql('select pg_notify($1, $2)', [JOB_SENT_CHANNEL, queue]);

/** Jobs a queue's worker takes at once (one fetch and one completion for all of them). */
const JOB_BATCH = 10;

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

/**
 * Starts pg-boss on our database and brings every queue to its policy: created when new,
 * updated when it exists (a changed retry setting reaches a live database at the next start).
 */
export async function startJobs(
  database: Database,
  log: Logger,
  settings: QueueSettings & { JOB_POLL_SECONDS?: number },
): Promise<Jobs> {
  const pollingIntervalSeconds = settings.JOB_POLL_SECONDS ?? 5;
  const statements = inFlight();
  const handlers = inFlight();
  let stopping = false;
  const boss = new PgBoss({
    db: { executeSql: (text, values) => statements.track(() => database.executor.executeSql(text, values)) },
    schema: 'pgboss',
    supervise: true,
    schedule: true,
    monitorStateIntervalSeconds: 60,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  const policies = queuePolicies(settings);
  const names = Object.keys(policies) as QueueName[];
  // A restart finds every queue as it left it: one read instead of a create and an update per queue.
  const stored = new Map((await boss.getQueues()).map((q) => [q.name, q]));
  if (!stored.has(DEAD_LETTER_QUEUE)) await boss.createQueue(DEAD_LETTER_QUEUE);
  for (const name of names) {
    const options = { name, ...policies[name], deadLetter: DEAD_LETTER_QUEUE };
    const current = stored.get(name);
    const same =
      current?.retryLimit === options.retryLimit &&
      current.retryDelay === options.retryDelay &&
      current.retryBackoff === options.retryBackoff &&
      current.deadLetter === options.deadLetter;
    if (same) continue;
    if (!current) await boss.createQueue(name, options);
    await boss.updateQueue(name, options);
  }
  // Each queue's worker on this instance, woken when a job of its queue is announced (JOB_SENT_CHANNEL).
  const workers = new Map<string, string>();
  const waking = new Set<string>();
  const unlisten = await database.listen(JOB_SENT_CHANNEL, (queue) => {
    const id = workers.get(queue);
    if (stopping || !id || waking.has(queue)) return;
    waking.add(queue);
    setTimeout(() => {
      waking.delete(queue);
      if (!stopping) boss.notifyWorker(id);
    }, WAKE_DELAY_MS).unref();
  });
  return {
    boss,
    async enqueue(tx, queue, data, options = {}) {
      const db = executorFor(tx);
      const id = await boss.send(queue, data, { ...options, db });
      if (announced(options)) await announceSent(db, queue);
      return id;
    },
    hold(held, queue, data, options = {}) {
      // pg-boss writes its own row (its queue's policy joined in); we keep its statement instead of sending it.
      // send() builds its statement and hands it to `db` before its first await, so it is held by the time send returns.
      const id = options.id ?? randomUUID();
      let captured = false;
      const capture = {
        async executeSql(text: string, values?: unknown[]) {
          held.write({ text, values: values ?? [] });
          captured = true;
          return { rows: [{ id }] };
        },
      };
      // A send that refuses its arguments rejects instead: nothing was held, and we say so here.
      boss.send(queue, data, { ...options, id, db: capture }).catch(() => {});
      if (!captured) throw new Error(`the ${queue} job was refused by pg-boss`);
      if (announced(options)) held.notify(JOB_SENT_CHANNEL, queue);
      return id;
    },
    async work<Q extends QueueName>(queue: Q, handler: JobHandler<Q>) {
      // pg-boss's worker waits out its polling interval after every fetch, even one that found work:
      // one fetch per interval, so a burst of reports left their follow-ups (notices, surveys) hours
      // behind. Told after each batch, it fetches the next at once; only an empty fetch waits.
      // A batch takes up to JOB_BATCH jobs in one statement and completes them in one; each job is
      // still its own: one that throws is failed alone (pg-boss completes only those still active).
      const worker: { id?: string } = {};
      worker.id = await boss.work<JobPayloads[Q]>(queue, { pollingIntervalSeconds, batchSize: JOB_BATCH }, (batch) =>
        handlers.track(async () => {
          for (const job of batch) {
            if (stopping) {
              // Not started: back to the queue (as a retry) rather than completed unrun.
              await boss.fail(queue, job.id, { message: 'the service stopped before this job ran' });
              continue;
            }
            try {
              await handler(job.data, job);
            } catch (err) {
              await boss.fail(queue, job.id, err as object);
            }
          }
          if (worker.id && !stopping) boss.notifyWorker(worker.id);
        }),
      );
      workers.set(queue, worker.id);
    },
    async announce(queue) {
      await announceSent(database.executor, queue);
    },
    async depth() {
      const out: Record<string, number> = {};
      for (const n of [...names, DEAD_LETTER_QUEUE]) out[n] = await boss.getQueueSize(n);
      return out;
    },
    async stop() {
      stopping = true;
      await unlisten();
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      await settle(statements, handlers);
    },
  };
}
