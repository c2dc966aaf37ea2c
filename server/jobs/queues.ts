import type { Config } from '../config.js';
import type { CaseOpened } from '../notifications/reactions.js';
import type { NotifyJob } from '../notifications/send.js';
import type { CaseTransitioned } from '../surveys/reactions.js';

/**
 * Every queue the service uses: what its jobs carry and how it retries. Jobs that exhaust
 * their retries go to the dead-letter queue, which supervisors see in the console.
 */
export const DEAD_LETTER_QUEUE = 'dead-letters';

/** A scheduled sweep's job: pg-boss's cron sends it with no data. */
type Tick = Record<string, never>;

/** The payload of each queue's jobs, keyed by queue name: sending or working a queue is typed by it. */
export interface JobPayloads {
  /**
   * Retired: the intake now queues the citizen's 受理 notice (`notify-citizen`) itself, and nothing when
   * the report has no citizen; still worked so jobs queued before the change run.
   */
  'case-opened': CaseOpened;
  'case-transitioned': CaseTransitioned;
  'deliver-to-department': { deliveryId: string };
  'notify-citizen': NotifyJob;
  /** Sent by the transition into 回访: one round of surveys for the case. */
  'open-survey-round': { caseId: string };
  /** Retired (its jobs now go to `open-survey-round`); still worked so jobs queued before the change run. */
  'schedule-survey': { caseId: string };
  'run-survey': { surveyId: string };
  'deadline-sweep': Tick;
  'stats-rollup': Tick;
  'retention-sweep': Tick;
}

export type QueueName = keyof JobPayloads;

export interface RetryPolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
}

/** The settings queue policies are read from (forwarding's retries are an operator's choice). */
export type QueueSettings = Pick<Config, 'DELIVERY_RETRY_LIMIT' | 'DELIVERY_RETRY_DELAY_SECONDS'>;

const standard: RetryPolicy = { retryLimit: 5, retryDelay: 5, retryBackoff: true };

/**
 * The one retry policy of each queue, set on the queue when the service starts: a job sent
 * without retry options (every job the service sends) takes its queue's.
 */
export function queuePolicies(settings: QueueSettings): Record<QueueName, RetryPolicy> {
  return {
    'case-opened': standard,
    'case-transitioned': standard,
    // Exponential backoff from the base delay; `deliverOnce` marks the delivery dead on the last attempt.
    'deliver-to-department': {
      retryLimit: settings.DELIVERY_RETRY_LIMIT,
      retryDelay: settings.DELIVERY_RETRY_DELAY_SECONDS,
      retryBackoff: true,
    },
    'notify-citizen': standard,
    'open-survey-round': standard,
    'schedule-survey': standard,
    'run-survey': { retryLimit: 2, retryDelay: 30, retryBackoff: true },
    'deadline-sweep': { retryLimit: 1, retryDelay: 30, retryBackoff: false },
    'stats-rollup': { retryLimit: 1, retryDelay: 30, retryBackoff: false },
    'retention-sweep': { retryLimit: 2, retryDelay: 600, retryBackoff: false },
  };
}
