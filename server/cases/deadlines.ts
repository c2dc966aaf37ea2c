import { and, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import { caseEvents, cases } from '../db/schema.js';
import { announceCaseChange } from './changes.js';

/** Cases whose clock runs: dispatched and not yet disposed of. */
const running = ['派遣', '处置中'];

/**
 * Marks 即将超期 (less than a quarter of the allowed time, or an hour, left) and
 * 已超期, once each, with a history row and a job for the notifications.
 */
export async function sweepDeadlines(
  services: Services,
  now = new Date(),
): Promise<{ warned: number; overdue: number }> {
  const db = services.database.db;
  return db.transaction(async (tx) => {
    const overdue = await tx
      .update(cases)
      .set({ deadlineStatus: '已超期' })
      .where(
        and(
          inArray(cases.state, running),
          isNotNull(cases.deadlineAt),
          lt(cases.deadlineAt, now),
          ne(cases.deadlineStatus, '已超期'),
        ),
      )
      .returning({ id: cases.id, state: cases.state });
    const warnBefore = sql`${cases.deadlineAt} - make_interval(secs => greatest(3600, coalesce(${cases.deadlineHours}, 48) * 900))`;
    const warned = await tx
      .update(cases)
      .set({ deadlineStatus: '即将超期' })
      .where(
        and(
          inArray(cases.state, running),
          isNotNull(cases.deadlineAt),
          sql`${warnBefore} <= ${now}`,
          sql`${cases.deadlineStatus} = '正常'`,
        ),
      )
      .returning({ id: cases.id, state: cases.state });
    for (const [rows, action, note] of [
      [overdue, 'overdue', '已超过处置时限'],
      [warned, 'deadline_warning', '即将超过处置时限'],
    ] as const) {
      for (const r of rows) {
        await tx
          .insert(caseEvents)
          .values({ caseId: r.id, actorType: 'system', action, fromState: r.state, toState: r.state, note });
        await services.jobs?.enqueue(tx, 'case-transitioned', { caseId: r.id, action, from: r.state, to: r.state });
      }
    }
    if (overdue.length || warned.length) await announceCaseChange(tx, 'deadlines');
    return { warned: warned.length, overdue: overdue.length };
  });
}
