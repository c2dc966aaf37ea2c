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
 * commit's flush only, not also for the round trip of its answer to this process, which may be busy
 * with other requests or waiting for a core, and back. The same commit or rollback as `db.transaction`:
 * a statement that fails turns its COMMIT into a ROLLBACK (PostgreSQL answers COMMIT in a failed
 * transaction so), and its error is thrown.
 * Work that does not call `end` commits when it returns, as with `db.transaction`. On PGlite (one
 * connection, one process) `end` runs the statement and the transaction commits when the work returns.
 */
export async function transaction<T>(database: Database, work: (tx: Tx, end: EndWith) => Promise<T>): Promise<T> {
  if (database.kind !== 'postgres') {
    return database.db.transaction((tx) => work(tx, (statement) => runStatement(tx, statement)));
  }
  // drizzle's own transaction, as `NodePgSession.transaction` makes it, on a client of the pool.
  const { dialect, session: poolSession } = database.db as unknown as Internals;
  const client = await poolSession.client.connect();
  let open = true;
  /** A connection whose state is not known (a COMMIT or ROLLBACK that failed) is closed, not pooled. */
  let broken: Error | undefined;
  try {
    const tx = new NodePgTransaction(
      dialect,
      new NodePgSession(client, dialect, undefined),
      undefined,
    ) as unknown as Tx;
    await client.query('begin');
    const end: EndWith = async <R>(statement: Statement) => {
      if (!open) throw new Error('end(): the transaction has ended');
      // Both go out now, the COMMIT right behind the statement on the wire (node-postgres's pipeline
      // mode, for these two only): the server commits without waiting for this process to read the
      // statement's answer and answer back.
      const mode = client as { pipeline: boolean };
      mode.pipeline = true;
      let settled;
      try {
        const sent = client.query<R & pg.QueryResultRow>(namedQuery(statement.text, statement.values));
        const committed = client.query('commit');
        open = false;
        settled = await Promise.allSettled([sent, committed]);
      } finally {
        // The connection goes back to the pool as it came: one query at a time.
        mode.pipeline = false;
      }
      const [rows, commit] = settled;
      if (commit.status === 'rejected') throw (broken = commit.reason as Error);
      if (rows.status === 'rejected') throw rows.reason;
      return rows.value.rows;
    };
    const result = await work(tx, end);
    if (open) {
      open = false;
      await client.query('commit').catch((failed: Error) => {
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
    client.release(broken);
  }
}

interface Internals {
  dialect: PgDialect;
  session: { client: pg.Pool };
}
