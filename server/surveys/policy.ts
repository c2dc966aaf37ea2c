import type { Config } from '../config.js';
import { parseCallHours, type CallWindow } from './callingHours.js';

import { surveyChannels, type SurveyChannel } from './vocabulary.js';

export { surveyChannels, type SurveyChannel };

export { surveyResults, type SurveyResult as SurveyAnswer } from './vocabulary.js';

/** Surveys still in progress: each may yet be answered by its channel. */
export const pendingStatuses = ['scheduled', 'calling', 'waiting'] as const;
/** Surveys an answer can still settle: those in progress, and those whose attempts ran out (a manual callback). */
export const answerableStatuses = [...pendingStatuses, 'exhausted'] as const;

export interface SurveyPolicy {
  /** Fall-backs after the channel the citizen came in by. */
  order: SurveyChannel[];
  windows: CallWindow[];
  /** Phone calls per survey before it goes to the manual callback queue. */
  maxAttempts: number;
  retryMs: number;
  /** How long a survey waits for an answer in WeChat before the next channel. */
  answerWaitMs: number;
  /** A survey left 'calling' this long belongs to a worker that died mid-call (pg-boss expires such a job after 15 min and retries it). */
  stuckCallMs: number;
}

export function parseChannelOrder(spec: string): SurveyChannel[] {
  const order = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const c of order) if (!surveyChannels.includes(c as SurveyChannel)) throw new Error(`unknown channel "${c}"`);
  if (new Set(order).size !== order.length) throw new Error('a channel is listed twice');
  return order as SurveyChannel[];
}

export function surveyPolicy(config: Config): SurveyPolicy {
  return {
    order: parseChannelOrder(config.SURVEY_CHANNEL_ORDER),
    windows: parseCallHours(config.SURVEY_CALL_HOURS),
    maxAttempts: config.SURVEY_MAX_ATTEMPTS,
    retryMs: config.SURVEY_RETRY_MINUTES * 60_000,
    answerWaitMs: config.SURVEY_ANSWER_WAIT_HOURS * 3600_000,
    stuckCallMs: 10 * 60_000,
  };
}
