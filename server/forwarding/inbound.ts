import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { CaseRow, DepartmentRow } from '../db/rows.js';
import { cases, inboundWebhooks } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { applyTransition } from '../cases/transitions.js';
import type { CaseAction } from '../cases/lifecycle.js';

export interface DepartmentEvent {
  eventId: string;
  caseNo: string;
  action: CaseAction;
  note?: string;
  hours?: number;
}

/**
 * A department system's status event, accepted once: the event id is recorded in the same
 * transaction as the step, so a replayed request cannot move the case again.
 */
export function applyDepartmentEvent(
  services: Services,
  dept: DepartmentRow,
  event: DepartmentEvent,
): Promise<CaseRow> {
  return services.database.db.transaction(async (tx) => {
    const [seen] = await tx
      .insert(inboundWebhooks)
      .values({ eventId: event.eventId, departmentId: dept.id })
      .onConflictDoNothing()
      .returning();
    if (!seen) throw new AppError(409, 'replayed', '该事件已处理过（重放被拒绝）');
    const [kase] = await tx.select().from(cases).where(eq(cases.caseNo, event.caseNo));
    if (!kase) throw notFound('案件');
    return applyTransition(services, tx, kase, {
      action: event.action,
      actor: { kind: 'external', id: dept.code, departmentId: dept.id },
      note: event.note ?? null,
      hours: event.hours,
      data: { eventId: event.eventId },
    });
  });
}
