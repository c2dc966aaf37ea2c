import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { auditLog, caseEvents, citizens, staffUsers, surveys } from '../db/schema.js';
import { conflict, notFound } from '../errors.js';
import { lockCaseThenSurvey } from './rounds.js';

/** A call the PBX placed for an agent with no outcome recorded this long after is considered lost. */
export const CALLBACK_CALL_LOST_MS = 5 * 60_000;

/** The timeline's record of a call the PBX places for an agent (click-to-call from 回访回拨). */
export interface CallbackCallData {
  surveyId: string;
  round: number;
  extension: string;
  via: 'pbx';
}

/** The call placed for this survey that still waits for its outcome, if any. */
export async function pendingCallbackCall(
  db: DbOrTx,
  surveyId: string,
  now = new Date(),
): Promise<{ id: number; createdAt: Date } | null> {
  return (await pendingCallbackCallsOf(db, [surveyId], now)).get(surveyId) ?? null;
}

/** Per survey, the call placed for it that still waits for its outcome (started within CALLBACK_CALL_LOST_MS). */
export async function pendingCallbackCallsOf(
  db: DbOrTx,
  surveyIds: string[],
  now = new Date(),
): Promise<Map<string, { id: number; createdAt: Date }>> {
  const out = new Map<string, { id: number; createdAt: Date }>();
  if (!surveyIds.length) return out;
  const since = new Date(now.getTime() - CALLBACK_CALL_LOST_MS);
  const rows = await db
    .select({ id: caseEvents.id, action: caseEvents.action, data: caseEvents.data, createdAt: caseEvents.createdAt })
    .from(caseEvents)
    .where(
      and(
        inArray(caseEvents.action, ['callback_call', 'callback_call_failed', 'callback_attempt']),
        gt(caseEvents.createdAt, since),
        inArray(
          caseEvents.caseId,
          db.select({ id: surveys.caseId }).from(surveys).where(inArray(surveys.id, surveyIds)),
        ),
      ),
    )
    .orderBy(caseEvents.id);
  const settled = new Set<number>();
  for (const r of rows) {
    const ref = (r.data as { callEventId?: number } | null)?.callEventId;
    if (ref != null) settled.add(Number(ref));
  }
  for (const r of rows) {
    const surveyId = (r.data as { surveyId?: string } | null)?.surveyId;
    if (r.action !== 'callback_call' || !surveyId) continue;
    if (settled.has(r.id)) out.delete(surveyId);
    else out.set(surveyId, { id: r.id, createdAt: r.createdAt });
  }
  return out;
}

interface Claim {
  eventId: number;
  caseId: string;
  caseNo: string;
  phone: string;
  extension: string;
}

/**
 * 拨打 in 回访回拨: the PBX rings the agent's extension, then the citizen with the hotline as
 * caller id. Recorded on the case's timeline before the PBX is asked (so a second click finds
 * it in progress); the PBX's answer comes later, and a call that could not reach the agent is
 * written down as not placed. The outcome is what the agent records (an answer, or who did not
 * pick up); with none after CALLBACK_CALL_LOST_MS the call is considered lost.
 */
export async function startCallbackCall(
  services: Services,
  surveyId: string,
  staffId: string,
  ip: string,
): Promise<{ eventId: number; extension: string; startedAt: string }> {
  const pbx = services.pbx;
  if (!pbx) throw conflict('no_pbx', '未接入电话交换机，无法从系统拨打；请用其他电话回拨后登记结果');
  const [me] = await services.database.db
    .select({ extension: staffUsers.extension })
    .from(staffUsers)
    .where(eq(staffUsers.id, staffId));
  if (!me?.extension) throw conflict('no_extension', '您的账号未设置分机号，无法从系统拨打；请联系管理员设置分机');
  const extension = me.extension;

  const claim = await services.database.db.transaction(async (tx): Promise<Claim> => {
    const [ref] = await tx
      .select({ caseId: surveys.caseId, citizenId: surveys.citizenId })
      .from(surveys)
      .where(eq(surveys.id, surveyId));
    if (!ref) throw notFound('回访');
    const { kase, survey } = await lockCaseThenSurvey(tx, ref.caseId, surveyId);
    if (
      !kase ||
      !survey ||
      !['exhausted', 'refused'].includes(survey.status) ||
      kase.state !== '回访' ||
      kase.reworkCount !== survey.round
    )
      throw conflict('not_in_callback_queue', '该回访不在回访回拨队列中，无需回拨');
    const [citizen] = await tx.select().from(citizens).where(eq(citizens.id, ref.citizenId));
    if (!citizen?.phoneEnc) throw notFound('该市民的电话号码');
    const pending = await pendingCallbackCall(tx, surveyId);
    if (pending) throw conflict('callback_in_progress', '该回访正在回拨中，请先登记上一通电话的结果');
    const data: CallbackCallData = { surveyId, round: survey.round, extension, via: 'pbx' };
    const [event] = await tx
      .insert(caseEvents)
      .values({
        caseId: kase.id,
        actorType: 'staff',
        actorId: staffId,
        action: 'callback_call',
        note: `系统回拨：先呼叫坐席分机 ${extension}，接听后以热线号码拨打市民`,
        data,
      })
      .returning({ id: caseEvents.id, createdAt: caseEvents.createdAt });
    // The number leaves the service for the PBX on this agent's behalf: audited like a reveal.
    await tx.insert(auditLog).values({
      actorId: staffId,
      action: 'survey.callback_call',
      targetType: 'case',
      targetId: kase.id,
      data: { surveyId, citizenId: citizen.id, extension, ip },
    });
    return {
      eventId: event.id,
      caseId: kase.id,
      caseNo: kase.caseNo,
      phone: services.phones.decrypt(citizen.phoneEnc),
      extension,
    };
  });

  const placing = pbx
    .clickToCall({
      agentExtension: claim.extension,
      destination: claim.phone,
      callerId: services.config.hotlineNumbers[0] ?? '12319',
      variables: { case_id: claim.caseId, case_no: claim.caseNo },
    })
    .then(
      (result) => (result.status === 'answered' ? null : result.cause),
      (err: unknown) => {
        services.log.warn({ err, surveyId }, 'click-to-call failed at the PBX');
        return (err as { code?: string }).code ?? 'pbx_error';
      },
    )
    .then(async (failure) => {
      if (failure) await callNotPlaced(services, claim, staffId, surveyId, failure);
    })
    .catch((err: unknown) => services.log.error({ err, surveyId }, 'could not record a failed click-to-call'));
  void placing;
  return { eventId: claim.eventId, extension: claim.extension, startedAt: new Date().toISOString() };
}

/** The PBX could not reach the agent's phone (or refused the call): the citizen was never dialled. */
async function callNotPlaced(services: Services, claim: Claim, staffId: string, surveyId: string, cause: string) {
  await services.database.db.insert(caseEvents).values({
    caseId: claim.caseId,
    actorType: 'staff',
    actorId: staffId,
    action: 'callback_call_failed',
    note: `系统回拨未拨出：坐席分机 ${claim.extension} 未接通（${cause}），未拨打市民电话`,
    data: { surveyId, callEventId: claim.eventId, cause },
  });
}
