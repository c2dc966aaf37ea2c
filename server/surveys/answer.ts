import { and, eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { caseEvents, cases, citizens, surveys } from '../db/schema.js';
import { conflict, notFound } from '../errors.js';
import type { CaseRow } from '../db/rows.js';
import { applyTransition } from '../cases/transitions.js';
import { isSatisfied, type SurveyChannel, type SurveyResult as SurveyAnswer } from './vocabulary.js';
import { cancelPending, lockCaseThenSurvey, settleRound, type SurveyRow } from './rounds.js';
import { markPublicCaseChanging } from '../cases/publicCaseCache.js';

export type AnswerVia = SurveyChannel | 'agent';

export type AnswerInput = {
  result: SurveyAnswer;
  comment?: string | null;
  via: AnswerVia;
  /** The agent who took the answer by hand. */
  staffId?: string;
} &
  /** citizenId, when given, must be the survey's: a citizen answers only their own. */
  ({ surveyId: string; citizenId?: string } | { caseNo: string; citizenId: string });

export interface AnswerOutcome {
  survey: SurveyRow;
  case: CaseRow;
  /** What the answer did to the case. */
  effect: 'closed' | 'reworked' | 'manual_queue' | 'none' | 'already_answered';
}

const surveyClosed = () => conflict('survey_closed', '该回访已结束，无需再评价');
const notPending = () => conflict('survey_not_pending', '该案件当前没有待您评价的回访');

/**
 * Records a citizen's answer, however it was taken, and applies the policy:
 * the first 满意/基本满意 of a round closes the case, the first 不满意 reworks it
 * (note: the citizen's words); either cancels the round's other surveys. A
 * 拒绝回访 sets doNotCall and decides nothing: once no survey of the round is in
 * progress and none was answered, the case waits in the manual callback queue.
 */
export async function answerSurvey(services: Services, input: AnswerInput): Promise<AnswerOutcome> {
  const db = services.database.db;
  return db.transaction(async (tx) => {
    let caseId: string;
    let surveyId: string;
    if ('surveyId' in input) {
      const [s] = await tx
        .select({ caseId: surveys.caseId, citizenId: surveys.citizenId })
        .from(surveys)
        .where(eq(surveys.id, input.surveyId));
      if (!s || (input.citizenId && s.citizenId !== input.citizenId)) throw notFound('回访');
      caseId = s.caseId;
      surveyId = input.surveyId;
    } else {
      const [k] = await tx
        .select({ id: cases.id, round: cases.reworkCount })
        .from(cases)
        .where(eq(cases.caseNo, input.caseNo));
      if (!k) throw notFound('案件');
      const [s] = await tx
        .select({ id: surveys.id })
        .from(surveys)
        .where(and(eq(surveys.caseId, k.id), eq(surveys.citizenId, input.citizenId), eq(surveys.round, k.round)));
      if (!s) throw notPending();
      caseId = k.id;
      surveyId = s.id;
    }
    const { kase, survey } = await lockCaseThenSurvey(tx, caseId, surveyId);
    return applyAnswer(services, tx, kase!, survey!, input);
  });
}

/** The policy on an answer, inside the caller's transaction; the case and the survey are locked by the caller. */
export async function applyAnswer(
  services: Services,
  tx: DbOrTx,
  kase: CaseRow,
  survey: SurveyRow,
  input: Pick<AnswerInput, 'result' | 'comment' | 'via' | 'staffId'>,
  now = new Date(),
): Promise<AnswerOutcome> {
  if (survey.status === 'answered') {
    // A citizen's retried POST: the same answer again is not an error.
    if (survey.result === input.result) return { survey, case: kase, effect: 'already_answered' };
    throw conflict('survey_answered', `该回访已有结果：${survey.result}`);
  }
  if (survey.status === 'cancelled' || kase.state !== '回访' || kase.reworkCount !== survey.round) throw surveyClosed();

  const comment = input.comment?.trim() || null;
  const refused = input.result === '拒绝回访';
  const [updated] = await tx
    .update(surveys)
    .set({
      status: refused ? 'refused' : 'answered',
      result: input.result,
      comment,
      answeredBy: input.staffId ? `${input.via}:${input.staffId}` : input.via,
      answeredAt: now,
      nextAttemptAt: null,
      lastOutcome: `answered_${input.via}`,
    })
    .where(eq(surveys.id, survey.id))
    .returning();
  markPublicCaseChanging(kase.id);
  await tx.insert(caseEvents).values({
    caseId: kase.id,
    actorType: input.staffId ? 'staff' : input.via === 'phone' ? 'system' : 'citizen',
    actorId: input.staffId ?? (input.via === 'phone' ? null : survey.citizenId),
    action: 'survey_answered',
    fromState: kase.state,
    toState: kase.state,
    note: `${viaLabel[input.via]}：${input.result}${comment ? `，${comment}` : ''}`,
    data: { surveyId: survey.id, round: survey.round, result: input.result, via: input.via },
  });

  if (refused) {
    await tx.update(citizens).set({ doNotCall: true, updatedAt: now }).where(eq(citizens.id, survey.citizenId));
    const queued = await settleRound(tx, kase.id, kase.state, survey.round);
    return { survey: updated, case: kase, effect: queued ? 'manual_queue' : 'none' };
  }

  await cancelPending(tx, kase.id, survey.id);
  if (isSatisfied(input.result)) {
    const [withResult] = await tx
      .update(cases)
      .set({ surveyResult: input.result })
      .where(eq(cases.id, kase.id))
      .returning();
    const closed = await applyTransition(services, tx, withResult, {
      action: 'close',
      actor: { kind: 'system' },
      note: `回访${input.result}，结案`,
    });
    return { survey: updated, case: closed, effect: 'closed' };
  }
  const reworked = await applyTransition(services, tx, kase, {
    action: 'rework',
    actor: { kind: 'system' },
    note: comment ?? '市民回访不满意',
    data: { surveyId: survey.id, result: input.result },
  });
  return { survey: updated, case: reworked, effect: 'reworked' };
}

const viaLabel: Record<AnswerVia, string> = {
  phone: '电话回访',
  sms: '短信回访',
  miniprogram: '小程序评价',
  chat: '微信回访',
  agent: '人工回访',
};
