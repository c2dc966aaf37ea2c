import Router from '@koa/router';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { areas, cases, departments, routingRules } from '../../db/schema.js';
import { INT4_MAX, validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { AppError, notFound } from '../../errors.js';
import { findConflict, type Rule } from '../../cases/routing.js';
import { openStateList } from '../../cases/queries.js';
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
  const db = services.database.db;
  router.use(requireStaff);

  router.get('/areas', validate({ query: areasQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'case.read');
    const level = ctx.input.query.level;
    const rows = await db
      .select()
      .from(areas)
      .where(level ? eq(areas.level, level) : undefined);
    const column = {
      grid: cases.gridId,
      community: cases.communityId,
      street: cases.streetId,
      district: cases.districtId,
    }[level ?? 'grid'];
    const counts = await db
      .select({
        areaId: column,
        open: sql<number>`count(*)::int`,
        overdue: sql<number>`count(*) filter (where ${cases.deadlineStatus} = '已超期')::int`,
      })
      .from(cases)
      .where(inArray(cases.state, openStateList))
      .groupBy(column);
    const byArea = new Map(counts.map((c) => [c.areaId, c]));
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
    const rows = await db.select().from(departments).orderBy(departments.id);
    ctx.body = { items: rows.map(presentDepartment) };
  });

  router.get('/routing-rules', async (ctx) => {
    authorize(actorOf(ctx), 'rules.read');
    ctx.body = {
      items: await db
        .select()
        .from(routingRules)
        .where(eq(routingRules.city, services.config.CITY))
        .orderBy(routingRules.id),
    };
  });

  async function checkRule(candidate: z.infer<typeof ruleBody>, replacingId?: number) {
    const categories = await services.categories();
    if (!categories.get(candidate.categoryCode))
      throw new AppError(422, 'unknown_category', `categoryCode: 分类代码 ${candidate.categoryCode} 不存在`);
    const [dept] = await db.select().from(departments).where(eq(departments.id, candidate.departmentId));
    if (!dept) throw new AppError(422, 'unknown_department', 'departmentId: 部门不存在');
    if (candidate.areaId != null) {
      const [area] = await db.select().from(areas).where(eq(areas.id, candidate.areaId));
      if (!area) throw new AppError(422, 'unknown_area', 'areaId: 区域不存在');
    }
    const current = (await db
      .select()
      .from(routingRules)
      .where(and(eq(routingRules.city, services.config.CITY), eq(routingRules.active, true)))) as Rule[];
    const next = [...current.filter((r) => r.id !== replacingId), { ...candidate, id: replacingId ?? 0 } as Rule];
    const clash = findConflict(next);
    if (clash) {
      const other = clash.ruleIds.find((id) => id !== (replacingId ?? 0));
      throw new AppError(422, 'rule_conflict', `与规则 #${other} 的分类和区域完全相同，请修改该规则或停用其中一条`, {
        conflictsWith: other,
      });
    }
  }

  router.post('/routing-rules', validate({ body: ruleBody }), async (ctx) => {
    authorize(actorOf(ctx), 'rules.edit');
    const body = ctx.input.body;
    await checkRule(body);
    const [row] = await db
      .insert(routingRules)
      .values({ ...body, city: services.config.CITY })
      .returning();
    ctx.status = 201;
    ctx.body = { rule: row };
  });

  router.put('/routing-rules/:id', validate({ params: idParam, body: ruleBody }), async (ctx) => {
    authorize(actorOf(ctx), 'rules.edit');
    const id = ctx.input.params.id;
    const body = ctx.input.body;
    const [existing] = await db.select().from(routingRules).where(eq(routingRules.id, id));
    if (!existing) throw notFound('规则');
    await checkRule(body, id);
    const [row] = await db
      .update(routingRules)
      .set({ ...body, updatedAt: new Date() })
      .where(eq(routingRules.id, id))
      .returning();
    ctx.body = { rule: row };
  });

  router.delete('/routing-rules/:id', validate({ params: idParam }), async (ctx) => {
    authorize(actorOf(ctx), 'rules.edit');
    const [row] = await db.delete(routingRules).where(eq(routingRules.id, ctx.input.params.id)).returning();
    if (!row) throw notFound('规则');
    ctx.status = 204;
  });

  return router;
}
