import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { exited, startServerProcess, stopProcess, type ServerProcess } from '../helpers/process.js';
import { backend } from '../helpers/db.js';

const API_KEY = 'crash-test-key';
let dbName: string | null = null;

async function storageEnv(): Promise<Record<string, string>> {
  const base: Record<string, string> = {
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-crash-')),
    OPEN311_API_KEYS: API_KEY,
    SESSION_SECRET: 's'.repeat(40),
    PHONE_ENCRYPTION_KEY: '33'.repeat(32),
    PHONE_HASH_KEY: '44'.repeat(32),
  };
  if (!process.env.DATABASE_URL) return base;
  dbName = `crash_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${dbName}`;
  return { ...base, DATABASE_URL: url.toString() };
}

afterAll(async () => {
  if (!dbName) return;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

function submit(url: string, idempotencyKey: string, i: number) {
  const form = new URLSearchParams({
    api_key: API_KEY,
    service_code: '200201',
    lat: String(30.201 + (i % 80) * 0.001),
    long: String(120.101 + Math.floor(i / 80) * 0.003),
    address_string: `东湖路${i}号`,
    description: `第${i}根电线杆上贴满了小广告，牛皮癣撕了又贴`,
  });
  return fetch(`${url}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': idempotencyKey },
    body: form,
  });
}

describe(`a SIGKILL in the middle of a stream of submissions (${backend})`, () => {
  it('keeps every acknowledged submission, exactly once, after a restart', async () => {
    const env = await storageEnv();
    let server: ServerProcess = await startServerProcess(env);
    const acked = new Map<string, string>();
    let sent = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const i = sent++;
        const k = `crash-${i}-${randomBytes(4).toString('hex')}`;
        try {
          const res = await submit(server.url, k, i);
          if (res.status === 201) acked.set(k, (await res.json())[0].service_request_id);
        } catch {
          // The process died under this request: it was never acknowledged.
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    const streamDeadline = Date.now() + 120_000;
    while (acked.size < 40) {
      if (Date.now() > streamDeadline)
        throw new Error(
          `only ${acked.size} of ${sent} submissions acknowledged in 120 s:\n${server.output().slice(-2000)}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    // A killed child has a signalCode and no exitCode; it may have exited while the workers drained.
    await exited(server);
    expect(acked.size).toBeGreaterThanOrEqual(40);

    server = await startServerProcess(env, 150_000);
    try {
      const numbers = [...acked.values()];
      expect(new Set(numbers).size).toBe(numbers.length);
      let i = 0;
      for (const [k, caseNo] of acked) {
        const found = await fetch(`${server.url}/open311/v2/requests/${caseNo}.json`);
        expect(found.status).toBe(200);
        // The same key again is recognised: the submission exists once and is not made twice.
        const again = await submit(server.url, k, Number(k.split('-')[1]));
        expect(again.status).toBe(200);
        expect((await again.json())[0].service_request_id).toBe(caseNo);
        i++;
      }
      expect(i).toBe(acked.size);
    } finally {
      await stopProcess(server);
    }
  }, 420_000);
});
