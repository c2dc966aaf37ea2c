import type { Services } from '../context.js';
import { cancelPending } from './rounds.js';

export interface CaseTransitioned {
  caseId: string;
  action: string;
  from: string;
  to: string;
  eventId?: number;
}

/**
 * What a case step means for surveys (run by the `case-transitioned` job): leaving 回访 by
 * any way but the survey (a supervisor's close or rework) makes the round's unfinished
 * surveys moot. Reaching 回访 opens a round, sent by the transition itself (`open-survey-round`).
 */
export async function surveysOnTransition(services: Services, e: CaseTransitioned): Promise<void> {
  if (e.from === '回访' && e.to !== '回访') await cancelPending(services.database.db, e.caseId);
}
