import { eq, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { citizens, surveys } from '../db/schema.js';
import type { CaseRow } from '../db/rows.js';
import { dedupeKeys, type NotifyJob } from '../notifications/send.js';
import { applyAnswer } from './answer.js';
import { isCallTime, nextCallTime } from './callingHours.js';
import { channelAvailable, nextChannel, type CitizenFacts, type Reach } from './channels.js';
import { factsOf, originOn, reachOf } from './facts.js';
import { surveyPolicy, type SurveyChannel, type SurveyPolicy } from './policy.js';
import { enqueueAttempt, lockCaseThenSurvey, settleRound, type SurveyRow } from './rounds.js';
import { satisfaction } from '../../telephony/index.js';
import type { SurveyOutcome } from './caller.js';

export type AttemptResult =
  /** Nothing to do: finished, not due yet, or another run is on it. */
  | 'noop'
  | 'cancelled'
  /** Outside calling hours: moved to the next window. */
  | 'deferred'
  /** Asked in WeChat; waits for the answer. */
  | 'waiting'
  | 'answered'
  | 'retry'
  | 'next_channel'
  | 'exhausted';

interface Ctx {
  services: Services;
  policy: SurveyPolicy;
  reach: Reach;
  now: Date;
}

type Claim = { result: AttemptResult } | { call: { to: string; caseId: string; caseNo: string } };

/**
 * One step of one survey, due at `now`: the `run-survey` job. Safe to run twice or
 * early: a survey that is finished, not yet due, or being called by another run is
 * left alone. A phone call happens between two transactions (claimed as 'calling',
 * then the outcome), never inside one.
 */
export async function runSurveyAttempt(services: Services, surveyId: string, now = new Date()): Promise<AttemptResult> {
  const ctx: Ctx = { services, policy: surveyPolicy(services.config), reach: reachOf(services), now };
  const db = services.database.db;

  const claim = await db.transaction(async (tx): Promise<Claim> => {
    const locked = await lock(tx, surveyId);
    if (!locked) return { result: 'noop' };
    const { kase, survey } = locked;
    if (['answered', 'exhausted', 'refused', 'cancelled'].includes(survey.status)) return { result: 'noop' };
    if (kase.state !== '回访' || kase.reworkCount !== survey.round) {
      await tx.update(surveys).set({ status: 'cancelled', nextAttemptAt: null }).where(eq(surveys.id, survey.id));
      return { result: 'cancelled' };
    }
    const [citizen] = await tx.select().from(citizens).where(eq(citizens.id, survey.citizenId));
    const facts = factsOf(citizen, await originOn(tx, kase, citizen.id));
    const due = survey.nextAttemptAt?.getTime() ?? 0;

    if (survey.status === 'waiting') {
      if (now.getTime() < due) return { result: 'noop' };
      return { result: await moveOn(ctx, tx, kase, survey, facts, 'no_reply') };
    }
    if (survey.status === 'calling') {
      if (now.getTime() - due < ctx.policy.stuckCallMs) return { result: 'noop' };
      return { result: await failed(ctx, tx, kase, survey, facts, 'interrupted') };
    }
    // scheduled: a duplicate or early job finds it not yet due.
    if (now.getTime() < due - 1000) return { result: 'noop' };
    const channel = survey.channel as SurveyChannel | 'manual';
    if (channel === 'manual' || !channelAvailable(channel, facts, ctx.reach)) {
      return { result: await moveOn(ctx, tx, kase, survey, facts, `${channel}_unavailable`) };
    }
    if (!isCallTime(now, ctx.policy.windows, services.calendar)) {
      const at = nextCallTime(now, ctx.policy.windows, services.calendar);
      await tx.update(surveys).set({ nextAttemptAt: at }).where(eq(surveys.id, survey.id));
      await enqueueAttempt(services, tx, survey.id, at);
      return { result: 'deferred' };
    }
    if (channel === 'phone') {
      await tx
        .update(surveys)
        .set({ status: 'calling', attempts: sql`${surveys.attempts} + 1`, nextAttemptAt: now })
        .where(eq(surveys.id, survey.id));
      return { call: { to: services.phones.decrypt(citizen.phoneEnc!), caseId: kase.id, caseNo: kase.caseNo } };
    }
    // WeChat or SMS: ask, then wait for the answer (the mini-program, the chat bot or an SMS reply calls answerSurvey).
    const until = new Date(now.getTime() + ctx.policy.answerWaitMs);
    await tx
      .update(surveys)
      .set({ status: 'waiting', attempts: sql`${surveys.attempts} + 1`, nextAttemptAt: until })
      .where(eq(surveys.id, survey.id));
    const job: NotifyJob = {
      kind: 'survey',
      caseId: kase.id,
      citizenId: citizen.id,
      surveyId: survey.id,
      dedupeKey: dedupeKeys.survey(survey.id, channel),
    };
    await services.jobs?.enqueue(tx, 'notify-citizen', job);
    await enqueueAttempt(services, tx, survey.id, until);
    return { result: 'waiting' };
  });
  if ('result' in claim) return claim.result;

  let outcome: SurveyOutcome | { outcome: 'pbx_error'; detail: string };
  try {
    outcome = await services.surveyCaller!.call(claim.call);
  } catch (err) {
    // A PBX fault is not the citizen's doing, but it still uses up the attempt: a PBX
    // that stays down must bring the survey to a person, not retry forever.
    services.log.warn({ err, surveyId }, 'survey call failed at the PBX');
    outcome = { outcome: 'pbx_error', detail: (err as Error).message };
  }

  return db.transaction(async (tx) => {
    const locked = await lock(tx, surveyId);
    // Answered in the mini-program meanwhile, or the case moved on: the call changes nothing.
    if (!locked || locked.survey.status !== 'calling') return 'noop';
    const { kase, survey } = locked;
    if (kase.state !== '回访' || kase.reworkCount !== survey.round) {
      // Closed or reworked by someone else during the call: the answer is kept for the record only.
      const heard =
        outcome.outcome === 'answered'
          ? `answered_after_case_moved:${satisfaction[outcome.digit].label}`
          : outcome.outcome;
      await tx
        .update(surveys)
        .set({ status: 'cancelled', nextAttemptAt: null, lastOutcome: heard })
        .where(eq(surveys.id, survey.id));
      return 'cancelled';
    }
    if (outcome.outcome === 'answered') {
      await applyAnswer(services, tx, kase, survey, { result: satisfaction[outcome.digit].label, via: 'phone' }, now);
      return 'answered';
    }
    const [citizen] = await tx.select().from(citizens).where(eq(citizens.id, survey.citizenId));
    return failed(ctx, tx, kase, survey, factsOf(citizen, await originOn(tx, kase, citizen.id)), outcome.outcome);
  });
}

async function lock(tx: DbOrTx, surveyId: string): Promise<{ kase: CaseRow; survey: SurveyRow } | null> {
  const [ref] = await tx.select({ caseId: surveys.caseId }).from(surveys).where(eq(surveys.id, surveyId));
  if (!ref) return null;
  const { kase, survey } = await lockCaseThenSurvey(tx, ref.caseId, surveyId);
  return kase && survey ? { kase, survey } : null;
}

/** A call that did not reach the citizen: try again later, or move on. */
async function failed(
  ctx: Ctx,
  tx: DbOrTx,
  kase: CaseRow,
  survey: SurveyRow,
  facts: CitizenFacts,
  outcome: string,
): Promise<AttemptResult> {
  if (survey.attempts < ctx.policy.maxAttempts) {
    const at = nextCallTime(
      new Date(ctx.now.getTime() + ctx.policy.retryMs),
      ctx.policy.windows,
      ctx.services.calendar,
    );
    await tx
      .update(surveys)
      .set({ status: 'scheduled', lastOutcome: outcome, nextAttemptAt: at })
      .where(eq(surveys.id, survey.id));
    await enqueueAttempt(ctx.services, tx, survey.id, at);
    return 'retry';
  }
  return moveOn(ctx, tx, kase, survey, facts, outcome);
}

/** This channel is used up: the next fall-back, or the manual callback queue. */
async function moveOn(
  ctx: Ctx,
  tx: DbOrTx,
  kase: CaseRow,
  survey: SurveyRow,
  facts: CitizenFacts,
  outcome: string,
): Promise<AttemptResult> {
  const next = nextChannel(facts, ctx.policy.order, ctx.reach, survey.channel as SurveyChannel | 'manual');
  if (next) {
    const at = nextCallTime(ctx.now, ctx.policy.windows, ctx.services.calendar);
    await tx
      .update(surveys)
      .set({ channel: next, status: 'scheduled', attempts: 0, lastOutcome: outcome, nextAttemptAt: at })
      .where(eq(surveys.id, survey.id));
    await enqueueAttempt(ctx.services, tx, survey.id, at);
    return 'next_channel';
  }
  await tx
    .update(surveys)
    .set({ status: 'exhausted', result: '未接通', lastOutcome: outcome, nextAttemptAt: null })
    .where(eq(surveys.id, survey.id));
  await settleRound(tx, kase.id, kase.state, survey.round);
  return 'exhausted';
}
