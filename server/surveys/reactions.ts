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
 * What a case step means for surveys (run by the `case-transitioned` job): reaching
 * 回访 starts a round, leaving it by any other way (a supervisor's close or rework)
 * makes the round's unfinished surveys moot.
 */
export async function surveysOnTransition(services: Services, e: CaseTransitioned): Promise<void> {
  const db = services.database.db;
  if (e.to === '回访' && e.from !== '回访') await services.jobs?.enqueue(db, 'schedule-survey', { caseId: e.caseId });
  if (e.from === '回访' && e.to !== '回访') await cancelPending(db, e.caseId);
}
