import Router from '@koa/router';
import type { z } from 'zod';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { defaultPeriod, loadStats, type StatsQuery } from '../../stats/load.js';
import { statsCsv } from '../../stats/csv.js';
import { supervisionFigures } from '../../stats/supervision.js';
import { invalidRequest } from '../../errors.js';
import { statsQuery } from './schema.js';

const DAY_MS = 86_400_000;

function queryOf(q: z.output<typeof statsQuery>): StatsQuery {
  const d = defaultPeriod();
  const to = q.to ?? (q.from && q.from > d.to ? q.from : d.to);
  const from = q.from ?? (q.to ? new Date(Date.parse(q.to) - 29 * DAY_MS).toISOString().slice(0, 10) : d.from);
  if (from > to) throw invalidRequest('from: 开始日期不能晚于结束日期');
  return { from, to, areaId: q.areaId, departmentId: q.departmentId };
}

export function statsRoutes(services: Services) {
  const router = new Router({ prefix: '/api' });

  router.get('/stats', requireStaff, validate({ query: statsQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'stats.read');
    const q = queryOf(ctx.input.query);
    const [stats, supervision] = await Promise.all([loadStats(services, q), supervisionFigures(services, q)]);
    ctx.body = { ...stats, supervision };
  });

  router.get('/stats.csv', requireStaff, validate({ query: statsQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'stats.read');
    const q = queryOf(ctx.input.query);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment(`stats-${q.from}-${q.to}.csv`);
    ctx.body = statsCsv(await loadStats(services, q));
  });

  return router;
}
