import { and, eq, inArray } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { auditLog, caseEvents, citizens, surveys } from '../db/schema.js';
import { conflict, notFound } from '../errors.js';
import { lockCaseThenSurvey } from './rounds.js';
import { answerableStatuses } from './policy.js';
import { pendingCallbackCall } from './callbackCall.js';

/** What an agent's own call back came to, when the citizen gave no answer. */
export const callbackOutcomes = {
  no_answer: '无人接听',
  busy: '占线',
  rejected: '拒接',
  unreachable: '无法接通（关机或停机）',
  wrong_number: '号码错误',
} as const;
export type CallbackOutcome = keyof typeof callbackOutcomes;

async function loadForCallback(services: Services, surveyId: string) {
  const [row] = await services.database.db
    .select({ survey: surveys, citizen: citizens })
    .from(surveys)
    .leftJoin(citizens, eq(citizens.id, surveys.citizenId))
    .where(eq(surveys.id, surveyId));
  if (!row) throw notFound('回访');
  return row;
}

/**
 * The citizen's full number for the agent who calls back, written to the audit log with the
 * case it was revealed for (an agent sees a number only through a case that needs it).
 */
export async function revealForCallback(
  services: Services,
  surveyId: string,
  staffId: string,
  ip: string,
): Promise<{ phone: string }> {
  const { survey, citizen } = await loadForCallback(services, surveyId);
  if (!citizen?.phoneEnc) throw notFound('该市民的电话号码');
  await services.database.db.insert(auditLog).values({
    actorId: staffId,
    action: 'survey.reveal_phone',
    targetType: 'case',
    targetId: survey.caseId,
    data: { surveyId: survey.id, citizenId: citizen.id, ip },
  });
  return { phone: services.phones.decrypt(citizen.phoneEnc) };
}

/**
 * A call back that reached nobody, made by the agent on a phone outside the service: written on
 * the case's timeline as what happened, counted apart from the automatic attempts.
 */
export async function recordCallbackAttempt(
  services: Services,
  surveyId: string,
  staffId: string,
  outcome: CallbackOutcome,
  note: string | null,
): Promise<{ attempts: number }> {
  return services.database.db.transaction(async (tx) => {
    const [ref] = await tx.select({ caseId: surveys.caseId }).from(surveys).where(eq(surveys.id, surveyId));
    if (!ref) throw notFound('回访');
    const { kase, survey } = await lockCaseThenSurvey(tx, ref.caseId, surveyId);
    if (
      !kase ||
      !survey ||
      !(answerableStatuses as readonly string[]).concat('refused').includes(survey.status) ||
      kase.state !== '回访' ||
      kase.reworkCount !== survey.round
    )
      throw conflict('survey_closed', '该回访已结束，无需再回拨');
    // After 拨打 the outcome belongs to that call; otherwise the agent called from another phone.
    const call = await pendingCallbackCall(tx, surveyId);
    const how = call ? '系统回拨' : '人工回拨';
    await tx.insert(caseEvents).values({
      caseId: kase.id,
      actorType: 'staff',
      actorId: staffId,
      action: 'callback_attempt',
      fromState: kase.state,
      toState: kase.state,
      note: `${how}：${callbackOutcomes[outcome]}${note ? `，${note}` : ''}`,
      data: {
        surveyId,
        round: survey.round,
        outcome,
        ...(call ? { via: 'pbx', callEventId: call.id } : { via: 'other_phone' }),
      },
    });
    const attempts = await callbackAttemptsOf(tx, [surveyId]);
    return { attempts: attempts.get(surveyId) ?? 0 };
  });
}

/**
 * How many times agents called back, per survey: calls placed through the PBX (less those that
 * never reached the agent's phone, so the citizen was not dialled) and calls made on other phones.
 * An outcome recorded for a PBX call is that call, not another one.
 */
export async function callbackAttemptsOf(db: DbOrTx, surveyIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!surveyIds.length) return out;
  const rows = await db
    .select({ action: caseEvents.action, data: caseEvents.data })
    .from(caseEvents)
    .where(
      and(
        inArray(caseEvents.action, ['callback_attempt', 'callback_call', 'callback_call_failed']),
        inArray(
          caseEvents.caseId,
          db.select({ id: surveys.caseId }).from(surveys).where(inArray(surveys.id, surveyIds)),
        ),
      ),
    );
  for (const r of rows) {
    const data = r.data as { surveyId?: string; via?: string } | null;
    const id = data?.surveyId;
    if (!id) continue;
    const step =
      r.action === 'callback_call_failed' ? -1 : r.action === 'callback_attempt' && data.via === 'pbx' ? 0 : 1;
    out.set(id, (out.get(id) ?? 0) + step);
  }
  return out;
}
