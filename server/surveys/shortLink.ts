import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { cases, surveys } from '../db/schema.js';
import { notFound } from '../errors.js';
import { answerSurvey, type AnswerOutcome } from './answer.js';
import { answerableStatuses, type SurveyAnswer } from './policy.js';

/**
 * The code in an SMS survey's short link /s/<code>: the survey id (16 bytes) and the first
 * 64 bits of an HMAC-SHA256 of it under SESSION_SECRET, base64url (32 characters). Whoever
 * holds the SMS can answer that one survey and nothing else; a guessed code fails the MAC.
 */
export function surveyCode(secret: string, surveyId: string): string {
  const id = Buffer.from(surveyId.replace(/-/g, ''), 'hex');
  return Buffer.concat([id, mac(secret, id)]).toString('base64url');
}

/** The survey id a code names, or null when the code is malformed or its MAC is wrong. */
export function surveyIdOfCode(secret: string, code: string): string | null {
  if (!/^[A-Za-z0-9_-]{32}$/.test(code)) return null;
  const raw = Buffer.from(code, 'base64url');
  if (raw.length !== 24) return null;
  const id = raw.subarray(0, 16);
  if (!timingSafeEqual(raw.subarray(16), mac(secret, id))) return null;
  const hex = id.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(secret: string, id: Buffer): Buffer {
  return createHmac('sha256', secret).update('survey-link:').update(id).digest().subarray(0, 8);
}

/** What the short link's page shows: the case number and whether the survey can still be answered. */
export async function surveyByCode(services: Services, code: string) {
  const surveyId = surveyIdOfCode(services.config.SESSION_SECRET, code);
  if (!surveyId) throw notFound('回访');
  const [row] = await services.database.db
    .select({ status: surveys.status, result: surveys.result, caseNo: cases.caseNo })
    .from(surveys)
    .innerJoin(cases, eq(cases.id, surveys.caseId))
    .where(eq(surveys.id, surveyId));
  if (!row) throw notFound('回访');
  return {
    caseNo: row.caseNo,
    open: (answerableStatuses as readonly string[]).includes(row.status),
    result: row.result,
  };
}

/** The citizen's answer through the short link, as if replied by SMS. */
export async function answerByCode(
  services: Services,
  code: string,
  result: SurveyAnswer,
  comment: string | null,
): Promise<AnswerOutcome> {
  const surveyId = surveyIdOfCode(services.config.SESSION_SECRET, code);
  if (!surveyId) throw notFound('回访');
  return answerSurvey(services, { surveyId, result, comment, via: 'sms' });
}
