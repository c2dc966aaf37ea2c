import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { openDatabase, type Database } from '../../server/db/client.js';
import { seedDemo } from '../../server/seed/seed.js';
import { PASSWORDS, type TestContext } from '../helpers/context.js';
import { startServerProcess, stopProcess, type ServerProcess } from '../helpers/process.js';

/** A database of its own on the test PostgreSQL, migrated and seeded with the known passwords. */
export async function clusterDatabase(): Promise<{ url: string; database: Database; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL!;
  const name = `cluster_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolMax: 3 });
  await seedDemo(database.db, PASSWORDS);
  return {
    url: url.toString(),
    database,
    async drop() {
      await database.close();
      const drop = new pg.Client({ connectionString: base });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** The settings every instance of one deployment shares (secrets included: they must agree). */
export function instanceEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '4',
    SESSION_SECRET: 'c'.repeat(40),
    PHONE_ENCRYPTION_KEY: '55'.repeat(32),
    PHONE_HASH_KEY: '66'.repeat(32),
    OPEN311_API_KEYS: 'cluster-key',
    ...extra,
  };
}

export interface Instance extends ServerProcess {
  name: string;
}

/** Starts `n` instances at once, as `docker compose up --scale app=n` would, each with its own DATA_DIR. */
export async function startInstances(n: number, env: Record<string, string>, timeoutMs = 180_000): Promise<Instance[]> {
  const started = await Promise.allSettled(
    Array.from({ length: n }, async (_, i) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), `cg-cluster-${i}-`));
      const p = await startServerProcess({ ...env, DATA_DIR: dataDir }, timeoutMs);
      return { ...p, name: `instance ${i + 1}` };
    }),
  );
  const up = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(up);
    throw failed.reason;
  }
  return up;
}

export const alive = (p: Instance) => p.child.exitCode == null && p.child.signalCode == null;

export async function roleOf(p: Instance): Promise<string> {
  try {
    const res = await fetch(`${p.url}/readyz`, { signal: AbortSignal.timeout(2000) });
    return ((await res.json()) as { cluster: { role: string } }).cluster.role;
  } catch {
    return 'unreachable';
  }
}

/** The instances that say they lead, among those alive. */
export async function leaders(all: Instance[]): Promise<Instance[]> {
  const live = all.filter(alive);
  const roles = await Promise.all(live.map(roleOf));
  return live.filter((_, i) => roles[i] === 'leader');
}

/** Enough of a TestContext for the factories (they only use http() and login()). */
export function contextOf(p: Instance): TestContext {
  const http = () => request(p.url);
  return {
    http,
    async login(username: keyof typeof PASSWORDS) {
      const res = await http().post('/api/auth/login').send({ username, password: PASSWORDS[username] });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
  } as TestContext;
}

export async function stopAll(all: Instance[]): Promise<void> {
  await Promise.all(all.filter(alive).map((p) => stopProcess(p)));
}
