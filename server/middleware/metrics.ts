import type { Context, Next } from 'koa';
import { matchedRoute } from '../errors.js';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { DurationHistogram } from './durationHistogram.js';

export function createMetrics(
  queueDepth?: () => Promise<Record<string, number>>,
  leader?: () => boolean,
  pbx?: () => { state: string; problems: string[] } | null,
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new DurationHistogram(
    'http_request_duration_seconds',
    'HTTP request duration by route and status',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registry,
  );
  new Gauge({
    name: 'job_queue_depth',
    help: 'Jobs waiting per queue',
    labelNames: ['queue'],
    registers: [registry],
    // Every instance reads the same queues: summed over WEB_WORKERS they would count twice.
    aggregator: 'max',
    async collect() {
      if (!queueDepth) return;
      const depth = await queueDepth().catch(() => ({}) as Record<string, number>);
      for (const [queue, n] of Object.entries(depth)) this.set({ queue }, n);
    },
  });
  new Gauge({
    name: 'cluster_leader',
    help: '1 while this instance runs the singletons (PBX connection, chat bot), else 0',
    registers: [registry],
    collect() {
      this.set(leader?.() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pbx_connected',
    help: '1 when the PBX link is up with no problem (refused credentials, prompts it cannot play), 0 otherwise; absent with PBX=none',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const now = pbx?.();
      if (!now) return;
      this.reset();
      this.set({ state: now.state }, now.state === 'connected' && !now.problems.length ? 1 : 0);
    },
  });
  const middleware = async (ctx: Context, next: Next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // The route pattern, not the path, so case ids do not explode the label set.
      const route =
        matchedRoute(ctx) ?? (ctx.status === 404 ? 'unmatched' : ctx.path.split('/').slice(0, 2).join('/') + '/*');
      httpDuration.observe(ctx.method, String(route), ctx.status, (performance.now() - started) / 1000);
    }
  };
  return { registry, middleware };
}
