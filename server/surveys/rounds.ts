import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { caseEvents, surveys } from '../db/schema.js';
import { pendingStatuses } from './policy.js';
import type { CaseRow, SurveyRow } from '../db/rows.js';
import { loadCase } from '../cases/transitions.js';

export type { SurveyRow } from '../db/rows.js';

/** The next attempt of a survey, as a job due at `at`, in the caller's transaction. */
export async function enqueueAttempt(services: Services, tx: DbOrTx, surveyId: string, at: Date): Promise<void> {
  await services.jobs?.enqueue(tx, 'run-survey', { surveyId }, { startAfter: at });
}

/** Surveys of the case still in progress are moot once the case has left 回访. */
export async function cancelPending(tx: DbOrTx, caseId: string, exceptId?: string): Promise<number> {
  const rows = await tx
    .update(surveys)
    .set({ status: 'cancelled', nextAttemptAt: null })
    .where(
      and(
        eq(surveys.caseId, caseId),
        inArray(surveys.status, [...pendingStatuses]),
        exceptId ? sql`${surveys.id} <> ${exceptId}` : undefined,
      ),
    )
    .returning({ id: surveys.id });
  return rows.length;
}

/**
 * When no survey of the round is in progress and nobody answered, the case waits
 * for a person: the manual callback queue. Written once per round.
 */
export async function settleRound(tx: DbOrTx, caseId: string, state: string, round: number): Promise<boolean> {
  const rows = await tx
    .select({ status: surveys.status, lastOutcome: surveys.lastOutcome, attempts: surveys.attempts })
    .from(surveys)
    .where(and(eq(surveys.caseId, caseId), eq(surveys.round, round)));
  if (rows.some((r) => (pendingStatuses as readonly string[]).includes(r.status) || r.status === 'answered'))
    return false;
  const [already] = await tx
    .select({ id: caseEvents.id })
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.caseId, caseId),
        eq(caseEvents.action, 'survey_exhausted'),
        sql`(${caseEvents.data}->>'round')::int = ${round}`,
      ),
    )
    .limit(1);
  if (already) return false;
  const refused = rows.filter((r) => r.status === 'refused').length;
  // Say what happened: a survey no channel could even try was not "未接通".
  const untried = rows.filter((r) => r.status !== 'refused' && neverTried(r)).length;
  const unreached = rows.length - refused - untried;
  const parts = [
    unreached ? `${unreached} 位未能联系上` : '',
    untried ? `${untried} 位没有可用的自动回访方式` : '',
    refused ? `${refused} 位拒绝回访` : '',
  ].filter(Boolean);
  const note = !rows.length
    ? '没有可回访的市民，待人工处理'
    : refused === rows.length
      ? '市民拒绝回访，待班长决定'
      : untried === rows.length
        ? '没有可用的自动回访方式（未接入电话系统，市民也无微信或短信可达），转人工回访'
        : `自动回访未能完成（${parts.join('，')}），转人工回访`;
  await tx.insert(caseEvents).values({
    caseId,
    actorType: 'system',
    action: 'survey_exhausted',
    fromState: state,
    toState: state,
    note,
    data: { round, reason: rows.length ? 'exhausted' : 'no_citizen' },
  });
  return true;
}

/**
 * Locks a survey's case row, then the survey row: always in that order, so two answers or
 * attempts for one case queue up instead of deadlocking.
 */
export async function lockCaseThenSurvey(
  tx: DbOrTx,
  caseId: string,
  surveyId: string,
): Promise<{ kase: CaseRow | undefined; survey: SurveyRow | undefined }> {
  const kase = await loadCase(tx, caseId, true);
  const [survey] = await tx.select().from(surveys).where(eq(surveys.id, surveyId)).for('update');
  return { kase, survey };
}

/**
 * A survey no channel ever asked: none was available when it was scheduled (no PBX, no WeChat,
 * no SMS, or the citizen refused calls before). A survey that moved between channels keeps no
 * total of its attempts, so only these two outcomes can say "never tried" for certain.
 */
export function neverTried(s: { attempts: number; lastOutcome: string | null }): boolean {
  return s.attempts === 0 && (s.lastOutcome === 'no_channel' || s.lastOutcome === 'do_not_call');
}
