// `npm run openapi`: the app is built as the server builds it (every optional route group switched on,
// on a database in memory), its document is written to docs/openapi.json and the UIs' types to
// admin/src/api/generated.ts and miniprogram/src/api/generated.ts. `npm run openapi:check` (CI)
// regenerates in memory and fails when a committed file differs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/log.js';
import { openDatabase } from '../server/db/client.js';
import { buildServices } from '../server/services.js';
import { createApp } from '../server/app.js';
import { routeFactories } from '../server/wiring.js';
import { loadClassifier } from '../server/classify.js';
import { buildOpenApi } from '../server/routes/openapi/document.js';
import { generateTypes, type Document } from './openapi/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Settings that mount every route group (WeChat's server URLs are mounted only when configured). */
const env = (dataDir: string): NodeJS.ProcessEnv => ({
  NODE_ENV: 'development',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  SERVE_UI: 'false',
  SESSION_SECRET: 'openapi-generation-'.repeat(3),
  PHONE_ENCRYPTION_KEY: '11'.repeat(32),
  PHONE_HASH_KEY: '22'.repeat(32),
  WECHAT_APPID: 'wx-openapi',
  WECHAT_SECRET: 'openapi',
  WECHAT_PUSH_TOKEN: 'openapi',
  WECHAT_OA_APPID: 'wx-openapi-oa',
  WECHAT_OA_SECRET: 'openapi',
  WECHAT_OA_TOKEN: 'openapi',
});

async function buildDocument() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cg-openapi-'));
  const config = loadConfig(env(dataDir));
  const log = createLogger('silent');
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const services = buildServices(config, log, database, null, await loadClassifier(config, log));
    const app = createApp(services, routeFactories({ services, stop: async () => {} }));
    return buildOpenApi(app);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function formatted(file: string, text: string) {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

async function main() {
  const check = process.argv.includes('--check');
  const doc = await buildDocument();
  const types = generateTypes(doc as unknown as Document);
  const files: Array<[string, string]> = [
    ['docs/openapi.json', `${JSON.stringify(doc, null, 2)}\n`],
    ['admin/src/api/generated.ts', await formatted('admin/src/api/generated.ts', types)],
    ['miniprogram/src/api/generated.ts', await formatted('miniprogram/src/api/generated.ts', types)],
  ];
  const stale: string[] = [];
  for (const [rel, text] of files) {
    const file = path.join(root, rel);
    let current: string | null = null;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = null;
    }
    if (current === text) continue;
    if (check) stale.push(rel);
    else {
      writeFileSync(file, text);
      process.stdout.write(`wrote ${rel}\n`);
    }
  }
  if (stale.length) {
    process.stderr.write(
      `The OpenAPI document or the UIs' generated types are stale: ${stale.join(', ')}\nRun npm run openapi and commit the result.\n`,
    );
    process.exit(1);
  }
  const operations = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  process.stdout.write(
    `openapi: ${operations} operations, ${Object.keys(doc.components.schemas).length} schemas${check ? ', up to date' : ''}\n`,
  );
}

await main();
