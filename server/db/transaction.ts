import pg from 'pg';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import type { PgDialect } from 'drizzle-orm/pg-core';
import type { Database, Tx } from './client.js';
import { namedQuery, runStatement, type Statement } from './statementText.js';

/**
 * Sends a transaction's last statement and ends the transaction: returns the statement's rows once
 * both are done. Nothing may be sent on the transaction after it.
 */
export type EndWith = <T = Record<string, unknown>>(statement: Statement) => Promise<T[]>;

/**
 * A transaction whose work may end it with `end(statement)`: on PostgreSQL the COMMIT is sent right
 * behind that statement, before its answer (pipelined), so the server runs both back to back. Locks the
 * statement takes (the day's case-number counter row) are then held for the statement and the
 * commit's flush only (with `releaseBeforeFlush`, not for the flush either), not also for the round trip
 * of its answer to this process, which may be busy with other requests or waiting for a core, and back.
 * The same commit or rollback as `db.transaction`:
 * a statement that fails turns its COMMIT into a ROLLBACK (PostgreSQL answers COMMIT in a failed
 * transaction so), and its error is thrown.
 * The BEGIN goes out with the first statement, and statements the work sends without awaiting the one
 * before go out at once (pipeline mode, below).
 * Work that does not call `end` commits when it returns, as with `db.transaction`. On PGlite (one
 * connection, one process) `end` runs the statement and the transaction commits when the work returns.
 */
export interface TransactionOptions {
  /**
   * The transaction writes a row every transaction of its kind writes (the day's case-number counter):
   * on PostgreSQL its commit frees its locks without waiting for the commit's WAL flush, and the
   * transaction returns only once that flush is done. See `commitReleasingBeforeFlush`.
   */
  releaseBeforeFlush?: boolean;
}

export async function transaction<T>(
  database: Database,
  work: (tx: Tx, end: EndWith) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (database.kind !== 'postgres') {
    return database.db.transaction((tx) => work(tx, (statement) => runStatement(tx, statement)));
  }
  // drizzle's own transaction, as `NodePgSession.transaction` makes it, on a client of the pool.
  const { dialect, session: poolSession } = database.db as unknown as Internals;
  const client = await poolSession.client.connect();
  const mode = client as unknown as Pipelined;
  let open = true;
  /** A connection whose state is not known (a COMMIT or ROLLBACK that failed) is closed, not pooled. */
  let broken: Error | undefined;
  // node-postgres's pipeline mode for the whole transaction: a statement goes out when it is made, not
  // when the one before it has been answered. The work still awaits what it reads, so only statements it
  // sends without waiting (the intake's cell locks and its duplicate search) share a round trip; the
  // server runs them in the order sent, each one after the one before has finished.
  mode.pipeline = true;
  const restoreQuery = beginWithFirstStatement(mode);
  try {
    const commit = () =>
      options.releaseBeforeFlush ? commitReleasingBeforeFlush(client) : client.query('commit').then(() => undefined);
    const tx = new NodePgTransaction(
      dialect,
      new NodePgSession(client, dialect, undefined),
      undefined,
    ) as unknown as Tx;
    const end: EndWith = async <R>(statement: Statement) => {
      if (!open) throw new Error('end(): the transaction has ended');
      // Both go out now, the COMMIT right behind the statement in one write: the server commits without
      // waiting for this process to read the statement's answer and answer back.
      const [sent, committed] = together(mode, () => [
        client.query<R & pg.QueryResultRow>(namedQuery(statement.text, statement.values)),
        commit(),
      ]);
      open = false;
      const [rows, done] = await Promise.allSettled([sent, committed]);
      if (done.status === 'rejected') throw (broken = done.reason as Error);
      if (rows.status === 'rejected') throw rows.reason;
      return rows.value.rows;
    };
    const result = await work(tx, end);
    if (open) {
      open = false;
      await together(mode, commit).catch((failed: Error) => {
        throw (broken = failed);
      });
    }
    return result;
  } catch (err) {
    if (open) {
      open = false;
      await client.query('rollback').catch((failed: Error) => (broken = failed));
    }
    throw err;
  } finally {
    // The connection goes back to the pool as it came: its own query method, one query at a time.
    restoreQuery();
    mode.pipeline = false;
    client.release(broken);
  }
}

/**
 * A COMMIT that frees the transaction's locks as soon as its commit record is in the WAL, and resolves
 * once that record is on disk, as a plain COMMIT does. PostgreSQL holds a committing transaction's row
 * locks until the flush of its commit record is done, so every transaction waiting for a row it wrote
 * waits for that flush too, one after the other: the day's counter row made intakes pass it one flush
 * at a time, where unrelated commits share their flushes. Here the transaction commits with
 * `synchronous_commit` off for itself only (`set local`), and a one-statement transaction right behind
 * it, on the same connection and in the same write, takes a transaction id and commits synchronously:
 * its commit waits for the WAL to be flushed up to its own commit record, which lies after this one. So
 * the promise resolves when the transaction is as durable as a synchronous commit would have made it
 * (an acknowledgement sent after it is as safe as before), while the next transaction waiting for the row
 * goes on as soon as the commit record is written, and waits for its flush beside others. Until the flush
 * others may already read the rows (as with any asynchronous commit); a writer that reads them commits
 * after them in the WAL, so whatever it commits is lost with them or kept with them.
 * In a failed transaction the SET fails (ignored), the COMMIT rolls back and the statement behind it
 * commits nothing of ours.
 */
async function commitReleasingBeforeFlush(client: pg.PoolClient): Promise<void> {
  const unsynced = client.query('set local synchronous_commit to off');
  const committed = client.query('commit');
  const flushed = client.query(FLUSHED_BEHIND);
  unsynced.catch(() => undefined);
  await Promise.all([committed, flushed]);
}

/** A transaction of its own whose synchronous commit waits for the WAL flushed up to it. */
export const FLUSHED_BEHIND = 'select pg_current_xact_id()';

/** A pool's client as these helpers use it: node-postgres's pipeline switch and the socket under it. */
interface Pipelined {
  pipeline: boolean;
  query: (...args: unknown[]) => unknown;
  connection: { stream: { cork(): void; uncork(): void; readonly writableCorked: number } };
}

/**
 * Sends the queries `send` makes in one write, now: the socket is corked while they are queued, then
 * written with whatever was waiting for the end of the tick (a BEGIN and a first statement).
 */
function together<T>(client: Pipelined, send: () => T): T {
  const stream = client.connection.stream;
  stream.cork();
  try {
    return send();
  } finally {
    while (stream.writableCorked > 0) stream.uncork();
  }
}

/**
 * BEGIN goes out with the transaction's first statement, in the same write, and is not waited for on
 * a round trip of its own: the client's next `query` call (from drizzle, `end`, or the COMMIT of work
 * that sent nothing) sends both. PostgreSQL runs them in order, so the statement runs inside the
 * transaction; a BEGIN that fails (a broken connection) fails the statement too, whose error the work
 * sees.
 */
function beginWithFirstStatement(client: Pipelined): () => void {
  const query = client.query;
  const own = Object.hasOwn(client, 'query');
  /** The client's own `query` again, before it goes back to the pool whether or not the work sent anything. */
  const restore = () => {
    if (own) client.query = query;
    else delete (client as Partial<Pipelined>).query;
  };
  client.query = (...args: unknown[]) => {
    restore();
    // Corked until this tick's code has run: statements the work sends right behind the first, without
    // awaiting it (the intake's duplicate search behind its locks), join the same write.
    const stream = client.connection.stream;
    stream.cork();
    process.nextTick(() => stream.uncork());
    const begun = query.call(client, 'begin') as Promise<unknown>;
    const answered = query.apply(client, args);
    // Its error, if any, is the statement's too (the connection is gone): the statement's is the one thrown.
    begun.catch(() => undefined);
    return answered;
  };
  return restore;
}

interface Internals {
  dialect: PgDialect;
  session: { client: pg.Pool };
}
