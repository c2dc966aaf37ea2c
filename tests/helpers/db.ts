import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/db/client.js';

/**
 * Each test file owns a database: a fresh PGlite in memory, or, when
 * DATABASE_URL is set (CI's second run), a fresh database on that server.
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) return openDatabase({ dataDir: 'memory://' });
  const name = `t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolMax: Number(process.env.TEST_POOL_MAX ?? 5) });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const drop = new pg.Client({ connectionString: base });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

export const backend = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** A statement a watched transaction sent, with its values and the round trip it went out in. */
export interface SentStatement {
  text: string;
  values: unknown[];
  /** Statements sent while none was awaiting its answer start a new round trip; those sent behind them share it. */
  trip: number;
}

/**
 * Records what the transactions of a PostgreSQL database's pool send (each statement's text, in order;
 * `statements` with their values and round trips) and the order in which their answers come. Only
 * clients taken with `pool.connect()` (the promise form, which `transaction()` uses) are watched;
 * `restore()` puts the pool back.
 */
export function watchTransactions(database: Database) {
  const pool = (database.db as unknown as { session: { client: pg.Pool } }).session.client;
  const sent: string[] = [];
  const statements: SentStatement[] = [];
  const answered: string[] = [];
  let outstanding = 0;
  let trip = 0;
  const connect = pool.connect.bind(pool);
  const watched = async () => {
    const client = await connect();
    const own = client.query;
    client.query = ((...args: unknown[]) => {
      const first = args[0] as string | { text: string; values?: unknown[] };
      const text = typeof first === 'string' ? first : first.text;
      const values = (typeof first === 'string' ? (args[1] as unknown[] | undefined) : first.values) ?? [];
      sent.push(text);
      const result = (own as (...a: unknown[]) => unknown).apply(client, args);
      if (result instanceof Promise) {
        if (outstanding++ === 0) trip++;
        statements.push({ text, values, trip });
        result.then(
          () => (outstanding--, answered.push(text)),
          () => (outstanding--, answered.push(`failed: ${text}`)),
        );
      }
      return result;
    }) as typeof client.query;
    const release = client.release.bind(client);
    client.release = ((err?: Error | boolean) => {
      client.query = own;
      return release(err);
    }) as typeof client.release;
    return client;
  };
  // pool.query passes a callback: those clients are not watched.
  pool.connect = ((callback?: unknown) => (callback ? connect(callback as never) : watched())) as typeof pool.connect;
  return { sent, statements, answered, restore: () => void (pool.connect = connect as typeof pool.connect) };
}
