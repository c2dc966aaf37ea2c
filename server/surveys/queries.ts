import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import { caseEvents, cases, citizens, surveys } from '../db/schema.js';
import { answerableStatuses } from './policy.js';
import { callbackAttemptsOf } from './callbacks.js';
import { pendingCallbackCallsOf } from './callbackCall.js';
import { neverTried } from './rounds.js';
import type { CaseRow, CitizenRow, SurveyRow } from '../db/rows.js';

export interface PendingSurvey {
  surveyId: string;
  caseId: string;
  caseNo: string;
  title: string;
  channel: string;
  status: string;
  round: number;
}

/**
 * Surveys a citizen can answer now, in any channel: those of the current round of
 * cases in 回访, still in progress or left for a manual callback (the citizen may
 * answer before an agent gets to it). The chat bot uses it to read a reply as an answer.
 */
export async function pendingSurveyFor(services: Services, citizenId: string): Promise<PendingSurvey[]> {
  const rows = await services.database.db
    .select({ s: surveys, caseNo: cases.caseNo, title: cases.title })
    .from(surveys)
    .innerJoin(cases, eq(cases.id, surveys.caseId))
    .where(
      and(
        eq(surveys.citizenId, citizenId),
        inArray(surveys.status, [...answerableStatuses]),
        eq(cases.state, '回访'),
        eq(cases.reworkCount, surveys.round),
      ),
    )
    .orderBy(asc(surveys.createdAt));
  return rows.map((r) => ({
    surveyId: r.s.id,
    caseId: r.s.caseId,
    caseNo: r.caseNo,
    title: r.title,
    channel: r.s.channel,
    status: r.s.status,
    round: r.s.round,
  }));
}

export interface CallbackItem {
  survey: SurveyRow | null;
  case: CaseRow;
  citizen: CitizenRow | null;
  /**
   * exhausted: asked and not reached; no_channel: no automatic channel could ask (no PBX, no
   * WeChat, no SMS); do_not_call: the citizen had refused calls before; refused: 拒绝回访 this
   * time; no_citizen: nobody to survey.
   */
  reason: 'exhausted' | 'no_channel' | 'do_not_call' | 'refused' | 'no_citizen';
  /** Calls agents made: through the PBX (拨打) or recorded as made on another phone. */
  callbackAttempts: number;
  /** A call placed through the PBX that waits for its outcome. */
  pendingCall: { startedAt: Date } | null;
}

/**
 * The manual callback queue: surveys of the current round that ran out of attempts
 * or were refused, on cases still in 回访, and cases in 回访 with nobody to survey.
 */
export async function callbackQueue(services: Services): Promise<CallbackItem[]> {
  const db = services.database.db;
  const rows = await db
    .select({ s: surveys, c: cases, z: citizens })
    .from(surveys)
    .innerJoin(cases, eq(cases.id, surveys.caseId))
    .leftJoin(citizens, eq(citizens.id, surveys.citizenId))
    .where(
      and(
        inArray(surveys.status, ['exhausted', 'refused']),
        eq(cases.state, '回访'),
        eq(cases.reworkCount, surveys.round),
      ),
    )
    .orderBy(asc(cases.updatedAt), asc(surveys.createdAt));
  const nobody = await db
    .select({ c: cases })
    .from(cases)
    .innerJoin(caseEvents, eq(caseEvents.caseId, cases.id))
    .where(
      and(
        eq(cases.state, '回访'),
        eq(caseEvents.action, 'survey_exhausted'),
        sql`${caseEvents.data}->>'reason' = 'no_citizen'`,
        sql`(${caseEvents.data}->>'round')::int = ${cases.reworkCount}`,
      ),
    );
  const tried = await callbackAttemptsOf(
    db,
    rows.map((r) => r.s.id),
  );
  const pending = await pendingCallbackCallsOf(
    db,
    rows.map((r) => r.s.id),
  );
  const reasonOf = (s: typeof surveys.$inferSelect): CallbackItem['reason'] =>
    s.status === 'refused'
      ? 'refused'
      : neverTried(s)
        ? s.lastOutcome === 'do_not_call'
          ? 'do_not_call'
          : 'no_channel'
        : 'exhausted';
  return [
    ...rows.map((r) => ({
      survey: r.s,
      case: r.c,
      citizen: r.z,
      reason: reasonOf(r.s),
      callbackAttempts: tried.get(r.s.id) ?? 0,
      pendingCall: pending.has(r.s.id) ? { startedAt: pending.get(r.s.id)!.createdAt } : null,
    })),
    ...nobody.map((r) => ({
      survey: null,
      case: r.c,
      citizen: null,
      reason: 'no_citizen' as const,
      callbackAttempts: 0,
      pendingCall: null,
    })),
  ];
}
