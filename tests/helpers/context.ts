import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import type Koa from 'koa';
import { loadConfig, type Config } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { startJobs } from '../../server/jobs/boss.js';
import { buildServices } from '../../server/services.js';
import { createApp } from '../../server/app.js';
import { seedDemo } from '../../server/seed/seed.js';
import { routeFactories, startWorkers, type Runtime } from '../../server/wiring.js';
import type { Services } from '../../server/context.js';
import { createTestDatabase } from './db.js';
import { loadClassifier } from '../../server/classify.js';

export const PASSWORDS = {
  admin: 'admin-pass-123',
  supervisor: 'super-pass-123',
  agent: 'agent-pass-123',
  szss: 'szss-pass-123',
  srhw: 'srhw-pass-123',
};

export interface TestContext {
  app: Koa;
  services: Services;
  runtime: Runtime;
  config: Config;
  logLines: string[];
  http: () => ReturnType<typeof request>;
  login(username: keyof typeof PASSWORDS): Promise<string>;
  close(): Promise<void>;
}

export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-test-')),
    SESSION_SECRET: 'x'.repeat(48),
    PHONE_ENCRYPTION_KEY: '11'.repeat(32),
    PHONE_HASH_KEY: '22'.repeat(32),
    LOG_LEVEL: 'info',
    SERVE_UI: 'false',
    ...extra,
  };
}

/** A whole service on its own database, seeded with the demo city and known passwords. */
export async function createTestContext(
  opts: { jobs?: boolean; workers?: boolean; env?: Record<string, string> } = {},
): Promise<TestContext> {
  const config = loadConfig(testEnv(opts.env));
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger(config.LOG_LEVEL, sink as any);
  const database = await createTestDatabase();
  await seedDemo(database.db, PASSWORDS);
  const jobs = opts.jobs === false ? null : await startJobs(database, log, config);
  const services = buildServices(config, log, database, jobs, await loadClassifier(config, log));
  const runtime = opts.workers ? await startWorkers(services) : { services, stop: async () => {} };
  const app = createApp(services, routeFactories(runtime));
  const callback = app.callback();
  const http = () => request(callback);
  return {
    app,
    services,
    runtime,
    config,
    logLines,
    http,
    async login(username) {
      const res = await http().post('/api/auth/login').send({ username, password: PASSWORDS[username] });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    async close() {
      await runtime.stop();
      await jobs?.stop();
      await database.close();
    },
  };
}
