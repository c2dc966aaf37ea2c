import { type Logger, silentLogger } from '../pbx/logger.js';
import type { Pbx } from '../pbx/pbx.js';
import type { OriginateFailureReason } from '../pbx/types.js';
import { type SatisfactionDigit, type SatisfactionLevel, prompts, satisfaction } from './prompts.js';

export interface SurveyCallRequest {
  /** The citizen's number. */
  to: string;
  /** The hotline, shown as caller id. */
  callerId: string;
  caseId: string;
  caseNo: string;
  /** The question's text; by default the standard survey question for caseNo. */
  question?: string;
}

/** How long the citizen has to press a key after each question (SurveyCallOptions.answerTimeoutMs). */
export const SURVEY_ANSWER_TIMEOUT_MS = 8_000;

export interface SurveyCallOptions {
  ringTimeoutMs?: number;
  answerTimeoutMs?: number;
  logger?: Logger;
}

/**
 * How a survey call ended. `no_valid_choice`: the citizen stayed on the line but gave
 * no valid key after the retry. PBX faults (not connected, no reply) are thrown, not
 * returned, so the job that runs the survey retries them.
 */
export type SurveyOutcome =
  | { outcome: 'answered'; callId: string; digit: SatisfactionDigit; level: SatisfactionLevel; label: string }
  | { outcome: OriginateFailureReason; callId: string; cause: string }
  | { outcome: 'hungup_without_answer'; callId: string }
  | { outcome: 'no_valid_choice'; callId: string };

/**
 * Calls the citizen from the hotline with the case in channel variables, asks the
 * question, collects 1/2/3 with one retry on bad input or silence, thanks and hangs up.
 */
export async function runSurveyCall(
  pbx: Pbx,
  request: SurveyCallRequest,
  options: SurveyCallOptions = {},
): Promise<SurveyOutcome> {
  const log = options.logger ?? silentLogger();
  const placed = await pbx.originate({
    destination: request.to,
    callerId: request.callerId,
    variables: { case_id: request.caseId, case_no: request.caseNo, cg_purpose: 'survey' },
    ...(options.ringTimeoutMs ? { ringTimeoutMs: options.ringTimeoutMs } : {}),
  });
  if (placed.status === 'failed') {
    log.info({ callId: placed.callId, reason: placed.reason, cause: placed.cause }, 'survey call not answered');
    return { outcome: placed.reason, callId: placed.callId, cause: placed.cause };
  }
  const callId = placed.callId;
  const question = request.question
    ? { ...prompts.surveyQuestion(request.caseNo), text: request.question }
    : prompts.surveyQuestion(request.caseNo);
  for (const prompt of [question, prompts.surveyRetry]) {
    const result = await pbx.playAndGetDigits(callId, {
      prompt,
      minDigits: 1,
      maxDigits: 1,
      tries: 1,
      timeoutMs: options.answerTimeoutMs ?? SURVEY_ANSWER_TIMEOUT_MS,
      validRegex: '^[123]$',
    });
    if (result.status === 'hangup') return { outcome: 'hungup_without_answer', callId };
    if (result.status === 'success') {
      const digit = result.digits as SatisfactionDigit;
      await finish(pbx, callId, prompts.surveyThanks, log);
      return { outcome: 'answered', callId, digit, ...satisfaction[digit] };
    }
  }
  await finish(pbx, callId, prompts.surveyNoChoice, log);
  return { outcome: 'no_valid_choice', callId };
}

/** The answer is already known: a citizen who hangs up first, or a PBX hiccup, must not lose it. */
async function finish(pbx: Pbx, callId: string, prompt: Parameters<Pbx['play']>[1], log: Logger): Promise<void> {
  try {
    if ((await pbx.play(callId, prompt)) === 'completed') await pbx.hangup(callId);
  } catch (error) {
    log.warn({ err: error, callId }, 'could not end the survey call cleanly');
  }
}
