/**
 * A worker thread's whole work (nlp/classifier/preread.ts): the saved model read and decoded, its arrays
 * handed over without a copy. Whatever fails is reported as a message, and the model is then read as ever.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { deserializeStaged } from './staged.js';

if (!parentPort) throw new Error('nlp/classifier/modelReader.ts runs as a worker thread (preread.ts)');
try {
  const decoded = deserializeStaged(readFileSync(String((workerData as { path: string }).path), 'utf8'));
  const arrays = [decoded.model.gate, decoded.model.minor].flatMap((m) => [m.idf, m.weights, m.bias]);
  parentPort.postMessage({ decoded }, [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))]);
} catch (error) {
  parentPort.postMessage({ error: String((error as Error).message) });
}
