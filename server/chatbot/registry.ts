import type { Services } from '../context.js';
import type { ChatEngine } from './engine.js';

/**
 * The running chat engine of a Services, for the agents' routes: they work
 * whether the bot was started by startWorkers or by a test, and answer 503
 * when no bot runs.
 */
const engines = new WeakMap<Services, ChatEngine>();

export function registerChatEngine(services: Services, engine: ChatEngine): () => void {
  engines.set(services, engine);
  return () => {
    if (engines.get(services) === engine) engines.delete(services);
  };
}

export function chatEngineOf(services: Services): ChatEngine | null {
  return engines.get(services) ?? null;
}
