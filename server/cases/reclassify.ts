import { and, eq, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { announceCaseChange } from './changes.js';
import { caseEvents, cases } from '../db/schema.js';
import { staleVersion, unprocessable, illegalTransition } from '../errors.js';
import type { CaseRow } from '../db/rows.js';
import { route, routedFields } from './routing.js';

/** An agent corrects the category: the case is routed again by the 指挥手册 and leaves the review queue. */
export async function reclassifyCase(
  services: Services,
  tx: DbOrTx,
  kase: CaseRow,
  categoryCode: string,
  actorId: string,
  version: number,
): Promise<CaseRow> {
  if (version !== kase.version) throw staleVersion();
  if (!['受理', '立案'].includes(kase.state)) throw illegalTransition(kase.state, '改分类');
  const categories = await services.categories();
  const chosen = categories.resolve(categoryCode);
  if (!chosen) throw unprocessable('unknown_category', `分类代码 ${categoryCode} 不存在`);
  const locator = await services.areas();
  const placement = {
    gridId: kase.gridId,
    communityId: kase.communityId,
    streetId: kase.streetId,
    districtId: kase.districtId,
    method: 'point' as const,
    names: [],
  };
  const decision = route(
    await services.rules(tx),
    { minor: chosen.minor?.code ?? null, major: chosen.major?.code ?? null },
    placement,
    locator,
  );
  const [updated] = await tx
    .update(cases)
    .set({
      categoryCode: chosen.minor?.code ?? null,
      majorCode: chosen.major?.code ?? null,
      kind: (chosen.minor ?? chosen.major)!.kind,
      needsReview: false,
      ...routedFields(decision, kase.priority === '紧急' && kase.routingRuleId == null ? '紧急' : '一般'),
      transferAgency: chosen.minor?.agency ?? null,
      title: chosen.minor ? kase.title.replace(/^[^（]*/, chosen.minor.name) : kase.title,
      version: sql`${cases.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(cases.id, kase.id), eq(cases.version, kase.version)))
    .returning();
  if (!updated) throw staleVersion();
  await tx.insert(caseEvents).values({
    caseId: kase.id,
    actorType: 'staff',
    actorId,
    action: 'reclassify',
    fromState: kase.state,
    toState: kase.state,
    note: `分类改为「${(chosen.minor ?? chosen.major)!.name}」`,
    data: { from: kase.categoryCode, to: categoryCode },
  });
  await announceCaseChange(tx, kase.id);
  return updated;
}

/** reclassifyCase in a transaction of its own. */
export function reclassify(
  services: Services,
  kase: CaseRow,
  categoryCode: string,
  actorId: string,
  version: number,
): Promise<CaseRow> {
  return services.database.db.transaction((tx) => reclassifyCase(services, tx, kase, categoryCode, actorId, version));
}
