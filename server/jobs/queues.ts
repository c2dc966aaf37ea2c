/**
 * Every queue the service uses, with its retry policy. Jobs that exhaust their
 * retries go to the dead-letter queue, which supervisors see in the console.
 */
export const DEAD_LETTER_QUEUE = 'dead-letters';

export interface QueueDefinition {
  name: string;
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds?: number;
}

const standard = { retryLimit: 5, retryDelay: 5, retryBackoff: true };

export const queues = {
  caseOpened: { name: 'case-opened', ...standard },
  caseTransitioned: { name: 'case-transitioned', ...standard },
  deliverToDepartment: { name: 'deliver-to-department', retryLimit: 8, retryDelay: 10, retryBackoff: true },
  notifyCitizen: { name: 'notify-citizen', ...standard },
  scheduleSurvey: { name: 'schedule-survey', ...standard },
  runSurvey: { name: 'run-survey', retryLimit: 2, retryDelay: 30, retryBackoff: true },
  deadlineSweep: { name: 'deadline-sweep', retryLimit: 1, retryDelay: 30, retryBackoff: false },
  statsRollup: { name: 'stats-rollup', retryLimit: 1, retryDelay: 30, retryBackoff: false },
  retentionSweep: { name: 'retention-sweep', retryLimit: 2, retryDelay: 600, retryBackoff: false },
} satisfies Record<string, QueueDefinition>;

export type QueueName = (typeof queues)[keyof typeof queues]['name'];
