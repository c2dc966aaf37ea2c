import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { areasWithCaseCounts } from '../../areas/queries.js';
import { listDepartments } from '../../departments/queries.js';
import { createRoutingRule, deleteRoutingRule, routingRulesOf, updateRoutingRule } from '../../cases/routingRules.js';
import { INT4_MAX, validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { notFound } from '../../errors.js';
import { presentDepartment } from '../../presenters/department.js';

const areasQuery = z.object({ level: z.enum(['district', 'street', 'community', 'grid']).optional() });
const ruleBody = z.object({
  categoryCode: z.string().trim().min(2).max(16),
  areaId: z.number().int().positive().max(INT4_MAX).nullable().default(null),
  departmentId: z.number().int().positive().max(INT4_MAX),
  deadlineHours: z
    .number()
    .positive()
    .max(24 * 90),
  deadlineType: z.enum(['working', 'calendar']).default('working'),
  priority: z.enum(['紧急', '较急', '一般']).default('一般'),
  active: z.boolean().default(true),
});
const idParam = z.object({ id: z.coerce.number().int().positive().max(INT4_MAX) });

/** Categories are public (the mini-program's picker); the rest is for staff. */
export function publicReferenceRoutes(services: Services) {
  const router = new Router({ prefix: '/api' });
  router.get('/categories', async (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = { city: services.config.CITY, items: (await services.categories()).tree() };
  });
  return router;
}

export function referenceRoutes(services: Services) {
  const router = new Router({ prefix: '/api' });
  router.use(requireStaff);

  router.get('/areas', validate({ query: areasQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'case.read');
    const level = ctx.input.query.level;
    const { areas: rows, counts: byArea } = await areasWithCaseCounts(services, level);
    ctx.body = {
      type: 'FeatureCollection',
      features: rows.map((a) => ({
        type: 'Feature',
        id: a.id,
        geometry: a.geometry,
        properties: {
          id: a.id,
          code: a.code,
          name: a.name,
          level: a.level,
          parentId: a.parentId,
          openCases: byArea.get(a.id)?.open ?? 0,
          overdueCases: byArea.get(a.id)?.overdue ?? 0,
        },
      })),
    };
  });

  router.get('/departments', async (ctx) => {
    authorize(actorOf(ctx), 'case.read');
    const rows = await listDepartments(services);
    ctx.body = { items: rows.map(presentDepartment) };
  });

  router.get('/routing-rules', async (ctx) => {
    authorize(actorOf(ctx), 'rules.read');
    ctx.body = { items: await routingRulesOf(services) };
  });

  router.post('/routing-rules', validate({ body: ruleBody }), async (ctx) => {
    authorize(actorOf(ctx), 'rules.edit');
    const body = ctx.input.body;
    const row = await createRoutingRule(services, body);
    ctx.status = 201;
    ctx.body = { rule: row };
  });

  router.put('/routing-rules/:id', validate({ params: idParam, body: ruleBody }), async (ctx) => {
    authorize(actorOf(ctx), 'rules.edit');
    const id = ctx.input.params.id;
    const body = ctx.input.body;
    const row = await updateRoutingRule(services, id, body);
    if (!row) throw notFound('规则');
    ctx.body = { rule: row };
  });

  router.delete('/routing-rules/:id', validate({ params: idParam }), async (ctx) => {
    authorize(actorOf(ctx), 'rules.edit');
    if (!(await deleteRoutingRule(services, ctx.input.params.id))) throw notFound('规则');
    ctx.status = 204;
  });

  return router;
}
