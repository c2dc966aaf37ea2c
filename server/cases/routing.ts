import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { routingRules } from '../db/schema.js';
import type { AreaLocator, Placement } from '../areas/locator.js';
import { deadlineFor, type Urgency } from './urgency.js';

export interface Rule {
  id: number;
  categoryCode: string;
  areaId: number | null;
  departmentId: number;
  deadlineHours: number;
  deadlineType: 'working' | 'calendar';
  priority: string;
  urgentDeadlineHours?: number | null;
  active: boolean;
}

export interface RouteDecision {
  rule: Rule;
  /** [category specificity, area specificity]: higher wins, category first. */
  specificity: [number, number];
}

const areaRank = { district: 1, street: 2, community: 3, grid: 4 } as const;

export class RuleConflictError extends Error {
  constructor(
    message: string,
    readonly ruleIds: number[],
  ) {
    super(message);
  }
}

/**
 * Two active rules for the same category and the same area would tie on every
 * case they match, so they are refused at load and on edit.
 */
export function findConflict(rules: Rule[]): RuleConflictError | null {
  const seen = new Map<string, Rule>();
  for (const r of rules.filter((x) => x.active)) {
    const key = `${r.categoryCode}|${r.areaId ?? '*'}`;
    const other = seen.get(key);
    if (other) {
      return new RuleConflictError(
        `规则 #${r.id} 与规则 #${other.id} 的分类（${r.categoryCode}）和区域完全相同，无法判断优先`,
        [other.id, r.id],
      );
    }
    seen.set(key, r);
  }
  return null;
}

/**
 * The 指挥手册 lookup. A 小类 rule beats a 大类 rule; among those, the rule on
 * the smallest area containing the case wins; "anywhere" is the last resort.
 */
export function route(
  rules: Rule[],
  category: { minor: string | null; major: string | null },
  placement: Placement,
  locator: AreaLocator,
): RouteDecision | null {
  let best: RouteDecision | null = null;
  for (const rule of rules) {
    if (!rule.active) continue;
    let cat = 0;
    if (category.minor && rule.categoryCode === category.minor) cat = 2;
    else if (category.major && rule.categoryCode === category.major) cat = 1;
    if (!cat) continue;
    let area = 0;
    if (rule.areaId != null) {
      const ref = locator.get(rule.areaId);
      const ids = [placement.gridId, placement.communityId, placement.streetId, placement.districtId];
      if (!ref || !ids.includes(rule.areaId)) continue;
      area = areaRank[ref.level];
    }
    const spec: [number, number] = [cat, area];
    if (!best || spec[0] > best.specificity[0] || (spec[0] === best.specificity[0] && spec[1] > best.specificity[1])) {
      best = { rule, specificity: spec };
    }
  }
  return best;
}

export async function loadRules(db: DbOrTx, city = 'default'): Promise<Rule[]> {
  const rows = await db
    .select()
    .from(routingRules)
    .where(and(eq(routingRules.city, city), eq(routingRules.active, true)));
  const conflict = findConflict(rows as Rule[]);
  if (conflict) throw conflict;
  return rows as Rule[];
}

/** The columns a routing decision sets on a case; no decision leaves the case for triage. */
export function routedFields(decision: RouteDecision | null, urgency: Urgency = '一般') {
  return {
    departmentId: decision?.rule.departmentId ?? null,
    routingRuleId: decision?.rule.id ?? null,
    ...deadlineFor(decision?.rule ?? null, urgency),
    deadlineType: decision?.rule.deadlineType ?? ('working' as const),
  };
}
