import { and, eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { areas, departments, routingRules } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findConflict, type Rule } from './routing.js';

/** The 指挥手册 as the admin edits it: the city's rules, each checked before it is stored. */

export type RoutingRuleInput = Omit<Rule, 'id' | 'urgentDeadlineHours' | 'priority'> & {
  priority: RoutingRuleRow['priority'];
};
export type RoutingRuleRow = typeof routingRules.$inferSelect;

export const routingRulesOf = (services: Services) =>
  services.database.db
    .select()
    .from(routingRules)
    .where(eq(routingRules.city, services.config.CITY))
    .orderBy(routingRules.id);

/** A rule names a known category, department and area, and no other active rule has its category and area. */
async function checkRule(services: Services, candidate: RoutingRuleInput, replacingId?: number) {
  const db = services.database.db;
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

export async function createRoutingRule(services: Services, rule: RoutingRuleInput): Promise<RoutingRuleRow> {
  await checkRule(services, rule);
  const [row] = await services.database.db
    .insert(routingRules)
    .values({ ...rule, city: services.config.CITY })
    .returning();
  services.invalidate('rules');
  return row;
}

/** The rule after the change, or undefined when there is none with this id. */
export async function updateRoutingRule(
  services: Services,
  id: number,
  rule: RoutingRuleInput,
): Promise<RoutingRuleRow | undefined> {
  const db = services.database.db;
  const [existing] = await db.select().from(routingRules).where(eq(routingRules.id, id));
  if (!existing) return undefined;
  await checkRule(services, rule, id);
  const [row] = await db
    .update(routingRules)
    .set({ ...rule, updatedAt: new Date() })
    .where(eq(routingRules.id, id))
    .returning();
  services.invalidate('rules');
  return row;
}

/** Whether there was a rule with this id to delete. */
export async function deleteRoutingRule(services: Services, id: number): Promise<boolean> {
  const [row] = await services.database.db.delete(routingRules).where(eq(routingRules.id, id)).returning();
  services.invalidate('rules');
  return !!row;
}
