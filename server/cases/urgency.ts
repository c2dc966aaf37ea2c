import type { Rule } from './routing.js';

export const urgencies = ['紧急', '一般'] as const;
export type Urgency = (typeof urgencies)[number];

/** The 处置时限 when no 指挥手册 rule matched (the dispatch falls back to it too). */
export const DEFAULT_DEADLINE_HOURS = 48;

/**
 * A 紧急 case's time limit: the rule's own urgent limit, or a quarter of its usual one
 * (never under two hours, never longer than the usual one).
 */
export function urgentHours(rule: Pick<Rule, 'deadlineHours' | 'urgentDeadlineHours'> | null): number {
  const usual = rule?.deadlineHours ?? DEFAULT_DEADLINE_HOURS;
  const urgent = rule?.urgentDeadlineHours ?? Math.max(2, usual / 4);
  return Math.min(usual, urgent);
}

/** The priority and time limit a case gets from its 指挥手册 rule and the urgency taken at intake. */
export function deadlineFor(
  rule: Pick<Rule, 'deadlineHours' | 'urgentDeadlineHours' | 'priority'> | null,
  urgency: Urgency,
): { priority: string; deadlineHours: number | null } {
  if (urgency === '紧急') return { priority: '紧急', deadlineHours: urgentHours(rule) };
  return { priority: rule?.priority ?? '一般', deadlineHours: rule?.deadlineHours ?? null };
}
