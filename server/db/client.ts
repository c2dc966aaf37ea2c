import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema.js';
import { noteStatement } from './statements.js';
import { namedQuery } from './statementText.js';
import { initialiseDataDir, LIFTOFF_ONLY, PGLITE_CONF } from './pgliteInit.js';
import {
  PgListener,
  quoteChannel,
  type ListeningHandler,
  type NotificationHandler,
  type Unlisten,
} from '../cluster/listener.js';

export type Schema = typeof schema;
/**
 * Without drizzle's relational API (`db.query.…`, unused here): given the schema, drizzle builds a
 * query builder per table for every transaction it opens, some 2 % of an intake's CPU.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/** The narrow interface pg-boss takes: one statement with positional parameters. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  /** The postgres:// URL (PostgreSQL only): the cluster lease opens a connection of its own with it. */
  url?: string;
  db: Db;
  /** For pg-boss outside a transaction; multi-statement SQL works on both drivers. */
  executor: SqlExecutor;
  ping(): Promise<void>;
  /**
   * LISTEN on a channel (NOTIFY with pg_notify through `executor` or a transaction); PGlite hears its own.
   * `onListening` hears when notifications may have been missed (PostgreSQL's connection dropped) and when they flow again.
   */
  listen(channel: string, handler: NotificationHandler, onListening?: ListeningHandler): Promise<Unlisten>;
  /** Runs `work` while no other instance runs its own start-up work (migrations, the demo seed). */
  exclusively<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Instances starting together on a fresh database would run the same migrations (and seed
 * the same demo city) at once; a session advisory lock makes the others wait and then find
 * nothing left to do.
 */
const STARTUP_LOCK = 0x63676d67; // "cgmg"

async function withStartupLock<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
    return await work(client);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => {});
    client.release();
  }
}

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface DatabaseOptions {
  /** A postgres:// URL; absent means embedded PGlite. */
  url?: string;
  /** PGlite's data folder; 'memory://' keeps it in memory (tests). */
  dataDir?: string;
  poolMax?: number;
  /**
   * A new PGlite folder is copied from the data folder this returns, when it returns one
   * (seed/pgliteTemplate.ts); asked only when the folder is new.
   */
  template?: () => Promise<string | null>;
  /** Bench only: note every statement sent (see statements.ts). */
  countStatements?: boolean;
}

/** Wraps `target.method` so each call is noted before it runs. */
function counted<O extends object, K extends keyof O>(target: O, method: K): void {
  const original = target[method];
  if (typeof original !== 'function') return;
  target[method] = function (this: unknown, ...args: unknown[]) {
    noteStatement();
    return original.apply(this, args);
  } as O[K];
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolMax ?? 10 });
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    if (opts.countStatements) pool.on('connect', (client) => counted(client, 'query'));
    const db = drizzlePg(pool) as unknown as Db;
    await withStartupLock(pool, (client) => migratePg(drizzlePg(client), { migrationsFolder }));
    const listener = new PgListener(opts.url);
    return {
      kind: 'postgres',
      url: opts.url,
      db,
      executor: {
        // pg-boss's statements come back every half second per queue (its fetch: ~0.6 ms of planning a
        // time on its partitioned table), so they run named. A parameterless text may be a script of
        // several statements, which only the simple protocol takes: those stay unnamed.
        executeSql: async (text, values) => pool.query(values?.length ? namedQuery(text, values) : { text, values }),
      },
      ping: async () => {
        await pool.query('select 1');
      },
      listen: (channel, handler, onListening) => listener.listen(channel, handler, onListening),
      exclusively: (work) => withStartupLock(pool, () => work()),
      close: async () => {
        await listener.close();
        await pool.end();
      },
    };
  }
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) await initialiseDataDir(dataDir, migrationsFolder, opts.template);
  // PGlite's WebAssembly is compiled by V8's baseline compiler only: the optimising tier's code and the memory
  // it compiled in stayed with the process (~65 MB at rest), and PGlite's statements ran no faster for it
  // (they are short; README, issue #18). Set before PGlite compiles its module; nothing else here is WebAssembly.
  setFlagsFromString(LIFTOFF_ONLY);
  // Loaded here, not with the module: on PostgreSQL the embedded database's 28 MB of code are never needed.
  const [{ PGlite: Embedded }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client: PGlite = await Embedded.create(dataDir, { postgresqlconf: PGLITE_CONF });
  if (opts.countStatements) {
    counted(client, 'query');
    counted(client, 'exec');
    const transaction = client.transaction.bind(client);
    client.transaction = (work) =>
      transaction((tx) => {
        counted(tx, 'query');
        counted(tx, 'exec');
        return work(tx);
      });
  }
  const db = drizzlePglite(client) as unknown as Db;
  await migratePglite(drizzlePglite(client), { migrationsFolder });
  return {
    kind: 'pglite',
    db,
    executor: {
      // PGlite's query() takes one statement; pg-boss sends its schema as one parameterless script.
      async executeSql(text, values) {
        if (!values?.length && text.includes(';')) {
          const results = await client.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }
        return client.query<Record<string, unknown>>(text, values);
      },
    },
    ping: async () => {
      await client.query('select 1');
    },
    listen: async (channel, handler) => {
      const unlisten = await client.listen(quoteChannel(channel).slice(1, -1), handler);
      return async () => {
        if (!client.closed) await unlisten();
      };
    },
    exclusively: (work) => work(),
    close: () => client.close(),
  };
}

/** Turns `text` with $1..$n placeholders into a drizzle SQL object, so pg-boss can write through a transaction. */
export function toSql(text: string, values: unknown[] = []): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      if (parts[i]) chunks.push(sql.raw(parts[i]));
    } else {
      chunks.push(sql`${values[Number(parts[i]) - 1] ?? null}`);
    }
  }
  return sql.join(chunks);
}

/** The rows of db.execute's answer: node-postgres and PGlite both give `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: T[] } | null)?.rows;
  return rows ?? [];
}

/** `a, b, c` as bound parameters, for `in (…)`. */
export function sqlList(values: readonly unknown[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

export function executorFor(tx: DbOrTx): SqlExecutor {
  return {
    async executeSql(text, values) {
      return { rows: rowsOf(await tx.execute(toSql(text, values))) };
    },
  };
}
