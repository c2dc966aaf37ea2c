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

/**
 * Records what the transactions of a PostgreSQL database's pool send (each statement's text, in order)
 * and the order in which their answers come. Only clients taken with `pool.connect()` (the promise
 * form, which `transaction()` uses) are watched; `restore()` puts the pool back.
 */
export function watchTransactions(database: Database) {
  const pool = (database.db as unknown as { session: { client: pg.Pool } }).session.client;
  const sent: string[] = [];
  const answered: string[] = [];
  const connect = pool.connect.bind(pool);
  const watched = async () => {
    const client = await connect();
    const own = client.query;
    client.query = ((...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
      sent.push(text);
      const result = (own as (...a: unknown[]) => unknown).apply(client, args);
      if (result instanceof Promise)
        result.then(
          () => answered.push(text),
          () => answered.push(`failed: ${text}`),
        );
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
  return { sent, answered, restore: () => void (pool.connect = connect as typeof pool.connect) };
}
