import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const ASK = 'cg:cluster-metrics';
const ANSWER = 'cg:cluster-metrics-answer';
const WAIT_MS = 6_000;

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
}

/**
 * The text /metrics answers with. Under WEB_WORKERS a scrape reaches whichever worker the
 * primary hands the connection to, so a worker asks the primary for every worker's metrics,
 * summed (or as each metric's aggregator says); alone, or if the primary does not answer, its own.
 */
export function metricsText(registry: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => registry.metrics();
  AggregatorRegistry.setRegistries(registry);
  new AggregatorRegistry(); // answers the primary's requests for this worker's metrics
  const waiting = new Map<number, (text: string | undefined) => void>();
  let next = 0;
  process.on('message', (m: Answer) => {
    if (m?.type !== ANSWER) return;
    waiting.get(m.id)?.(m.text);
    waiting.delete(m.id);
  });
  return async () => {
    const id = next++;
    const text = await new Promise<string | undefined>((resolve) => {
      waiting.set(id, resolve);
      setTimeout(() => waiting.delete(id) && resolve(undefined), WAIT_MS).unref();
      process.send!({ type: ASK, id });
    });
    return text ?? registry.metrics();
  };
}

/** The primary's side: gathers every worker's metrics when one of them asks. */
export function gatherWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, m: { type?: string; id: number }) => {
    if (m?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: m.id, text }),
      () => worker.send({ type: ANSWER, id: m.id }),
    );
  });
}
