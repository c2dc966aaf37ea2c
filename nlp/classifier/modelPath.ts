import { fileURLToPath } from 'node:url';

/** Where the product model is kept: committed, and rewritten by `npm run train`. */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../model/model.json', import.meta.url));

/** NLP_MODEL_PATH wins over the default; an explicit path wins over both. */
export function resolveModelPath(explicit?: string): string {
  return explicit ?? process.env.NLP_MODEL_PATH ?? DEFAULT_MODEL_PATH;
}
