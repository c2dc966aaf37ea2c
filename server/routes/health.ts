import Router from '@koa/router';
import type { Services } from '../context.js';
import type { Registry } from 'prom-client';
import { pingDatabase } from '../db/health.js';
import { metricsText } from '../cluster/metrics.js';

export function healthRoutes(services: Services, registry: Registry) {
  const router = new Router();
  const metrics = metricsText(registry);
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const checks: Record<string, string> = {};
    try {
      await pingDatabase(services);
      checks.database = 'ok';
    } catch {
      checks.database = 'down';
    }
    if (services.jobs) {
      try {
        await services.jobs.boss.getQueueSize('case-opened');
        checks.queue = 'ok';
      } catch {
        checks.queue = 'down';
      }
    } else {
      checks.queue = 'disabled';
    }
    // Telephony out of order degrades the service (calls still reach agents through the PBX's own
    // fall-back) but the web side serves on: 200, status degraded.
    if (services.pbx) {
      const { state } = services.pbx;
      checks.pbx = state !== 'connected' ? state : services.pbx.problems().length ? 'degraded' : 'ok';
    }
    const ready = Object.values(checks).every((v) => v !== 'down');
    const degraded = checks.pbx !== undefined && checks.pbx !== 'ok';
    ctx.status = ready ? 200 : 503;
    // Every instance serves; `cluster.role` says which one holds the PBX connection and the chat bot.
    const { instanceId, role } = services.leadership;
    ctx.body = {
      status: ready ? (degraded ? 'degraded' : 'ready') : 'not_ready',
      checks,
      cluster: { instance: instanceId, role },
    };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await metrics();
  });
  return router;
}
