import { and, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { caseEvents, cases, reports } from '../db/schema.js';
import { AppError, invalidRequest, notFound } from '../errors.js';
import type { CaseRow } from '../db/rows.js';
import { openStates, type CaseState } from './lifecycle.js';
import { markPublicCaseChanging } from './publicCaseCache.js';

/**
 * 并案 by hand: the reports of `source` become duplicates of `targetId`, which records it. The
 * caller's transition moves `source` itself to 已并案.
 */
export async function mergeCase(
  tx: DbOrTx,
  source: CaseRow,
  targetId: string | undefined,
  actorId: string | null,
): Promise<CaseRow> {
  if (!targetId) throw invalidRequest('mergeInto: 请选择要并入的案件');
  if (targetId === source.id) throw new AppError(409, 'merge_into_self', '不能并入案件本身');
  const [target] = await tx.select().from(cases).where(eq(cases.id, targetId)).for('update');
  if (!target) throw notFound('要并入的案件');
  if (!openStates.includes(target.state as CaseState))
    throw new AppError(409, 'merge_target_closed', `案件 ${target.caseNo} 已办结，不能并入`);
  markPublicCaseChanging(target.id);
  const moved = await tx
    .update(reports)
    .set({ caseId: target.id, disposition: 'duplicate' })
    .where(and(eq(reports.caseId, source.id), ne(reports.caseId, target.id)))
    .returning({ id: reports.id });
  const [updated] = await tx
    .update(cases)
    .set({
      duplicateCount: sql`${cases.duplicateCount} + ${moved.length}`,
      version: sql`${cases.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(cases.id, target.id))
    .returning();
  await tx.insert(caseEvents).values({
    caseId: target.id,
    actorType: actorId ? 'staff' : 'system',
    actorId,
    action: 'merged_in',
    fromState: target.state,
    toState: target.state,
    note: `案件 ${source.caseNo} 并入本案`,
    data: { fromCaseId: source.id, fromCaseNo: source.caseNo, reports: moved.map((r) => r.id) },
  });
  return updated;
}
