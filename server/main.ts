import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';
import { resolveModelPath } from '../nlp/classifier/modelPath.js';
import { prereadModel } from '../nlp/classifier/preread.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`配置错误 / configuration error: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

const log = createLogger(config.LOG_LEVEL);
if (cluster.isPrimary) for (const warning of config.warnings) log.warn(warning);
// The primary of several workers only forks and watches them: it loads none of the service.
if (cluster.isPrimary && config.webWorkers > 1) {
  const { superviseWorkers } = await import('./cluster/workers.js');
  superviseWorkers(config.webWorkers, log);
} else {
  // Read on the other core while this one loads the service and opens the database.
  const model = prereadModel(resolveModelPath(config.NLP_MODEL_PATH));
  const { serve } = await import('./serve.js');
  await serve(config, log, model);
}
