import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Services } from '../context.js';
import { citizens, smsReplies, surveys } from '../db/schema.js';
import { normalizePhone } from '../lib/phone.js';
import { parseSurveyAnswer } from '../chatbot/intents.js';
import { applyAnswer } from '../surveys/answer.js';
import { lockCaseThenSurvey } from '../surveys/rounds.js';
import { AppError } from '../errors.js';

/** One citizen's reply as a provider pushes it, reduced to what we act on. */
export interface SmsReply {
  provider: 'aliyun' | 'tencent';
  phone: string;
  text: string;
  /** The same reply pushed twice (a provider retry) has the same key. */
  dedupeKey: string;
}

export type ReplyEffect =
  'opted_out' | 'answered' | 'duplicate' | 'unknown_citizen' | 'no_survey' | 'survey_closed' | 'not_understood';

/** 回复TD 退订, and the other words carriers treat as unsubscribing. */
const OPT_OUT = /^(td|t|n|退订|取消订阅)$/iu;

export const isOptOut = (text: string) => OPT_OUT.test(text.normalize('NFKC').replace(/[\s。.!！]/gu, ''));

/**
 * Acts on one reply, at most once per dedupe key: TD stops every SMS to the citizen; 1/2/3 (with
 * words after it) answers the citizen's survey waiting on SMS, newest first. Anything else is
 * kept, and does nothing.
 */
export async function handleSmsReply(services: Services, reply: SmsReply, now = new Date()): Promise<ReplyEffect> {
  const db = services.database.db;
  return db.transaction(async (tx) => {
    const [citizen] = await tx
      .select({ id: citizens.id, smsOptOutAt: citizens.smsOptOutAt })
      .from(citizens)
      .where(eq(citizens.phoneHash, services.phones.hash(normalizePhone(reply.phone))));
    const [row] = await tx
      .insert(smsReplies)
      .values({
        provider: reply.provider,
        dedupeKey: reply.dedupeKey,
        citizenId: citizen?.id ?? null,
        text: reply.text.slice(0, 500),
        effect: 'pending',
      })
      .onConflictDoNothing()
      .returning({ id: smsReplies.id });
    if (!row) return 'duplicate';
    const effect = await decide();
    await tx.update(smsReplies).set({ effect }).where(eq(smsReplies.id, row.id));
    return effect;

    async function decide(): Promise<ReplyEffect> {
      if (!citizen) return 'unknown_citizen';
      if (isOptOut(reply.text)) {
        await tx
          .update(citizens)
          .set({ smsOptOutAt: now, updatedAt: now })
          .where(and(eq(citizens.id, citizen.id), isNull(citizens.smsOptOutAt)));
        return 'opted_out';
      }
      const answer = parseSurveyAnswer(reply.text);
      if (!answer) return 'not_understood';
      const [waiting] = await tx
        .select({ id: surveys.id, caseId: surveys.caseId })
        .from(surveys)
        .where(and(eq(surveys.citizenId, citizen.id), eq(surveys.channel, 'sms'), eq(surveys.status, 'waiting')))
        .orderBy(desc(surveys.createdAt))
        .limit(1);
      if (!waiting) return 'no_survey';
      const { kase, survey } = await lockCaseThenSurvey(tx, waiting.caseId, waiting.id);
      if (!kase || !survey) return 'no_survey';
      try {
        await applyAnswer(
          services,
          tx,
          kase,
          survey,
          { result: answer.result, comment: answer.comment, via: 'sms' },
          now,
        );
      } catch (err) {
        // The case moved on meanwhile (closed by an agent, reworked): the reply is kept, nothing else.
        if (err instanceof AppError && err.status === 409) return 'survey_closed';
        throw err;
      }
      return 'answered';
    }
  });
}
