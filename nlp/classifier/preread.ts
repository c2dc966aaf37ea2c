import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StagedModel } from './staged.js';

export interface DecodedModel {
  /** The file it was read from. */
  path: string;
  model: StagedModel;
  meta: Record<string, unknown>;
}

/**
 * Reads and decodes the saved model on a worker thread, started before the service loads its modules and opens
 * its database, so that a start does both at once (a restart about 70 ms sooner, a first start 120 ms; README,
 * #18's thirteenth round). Resolves to null when the thread cannot do it (the file missing or unreadable, a
 * runtime without the reader's module): the model is then read where it is needed, as it always was, and that
 * reading says what is wrong.
 */
export function prereadModel(file: string): Promise<DecodedModel | null> {
  return new Promise((resolve) => {
    // Beside this module as it runs, compiled (dist/, the bundle). Run as TypeScript (tsx, tests) it reads nothing:
    // Node 20 gives a worker thread no loader for TypeScript, so the model is read where it is needed.
    if (path.extname(fileURLToPath(import.meta.url)) !== '.js') return resolve(null);
    let worker: Worker;
    try {
      worker = new Worker(new URL('./modelReader.js', import.meta.url), { workerData: { path: file } });
    } catch {
      return resolve(null);
    }
    worker.once('message', (message: { decoded?: Omit<DecodedModel, 'path'>; error?: string }) =>
      resolve(message.decoded ? { path: file, ...message.decoded } : null),
    );
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
}
