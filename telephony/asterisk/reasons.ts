import type { OriginateFailureReason } from '../pbx/types.js';

/**
 * OriginateResponse `Reason` is the last control frame Asterisk saw on the new channel:
 *
 * | Reason | meaning                                   | outcome     |
 * | ------ | ----------------------------------------- | ----------- |
 * | 0      | no such number / channel not created      | `failed`    |
 * | 1      | hung up before answer (no answer)         | `no_answer` |
 * | 3      | rang until the Timeout ran out            | `no_answer` |
 * | 4      | answered                                  | (success)   |
 * | 5      | busy                                      | `busy`      |
 * | 8      | congestion / not available                | `failed`    |
 *
 * Reason 1 and 0 lump several endings together; the channel's Hangup event (which
 * Asterisk sends before OriginateResponse) refines them by Q.850 cause: 21
 * CALL_REJECTED → `rejected`, 17 USER_BUSY → `busy`, 18/19 → `no_answer`.
 */
export function originateFailureReason(reason: number, hangupCause: number | null): OriginateFailureReason {
  if (reason === 0 || reason === 1) {
    if (hangupCause === 21) return 'rejected';
    if (hangupCause === 17) return 'busy';
    if (hangupCause === 18 || hangupCause === 19) return 'no_answer';
  }
  switch (reason) {
    case 1:
    case 3:
      return 'no_answer';
    case 5:
      return 'busy';
    default:
      return 'failed';
  }
}

export function reasonName(reason: number): string {
  return (
    { 0: 'NO_SUCH_NUMBER', 1: 'NO_ANSWER', 3: 'NO_ANSWER', 4: 'ANSWERED', 5: 'USER_BUSY', 8: 'CONGESTION' }[reason] ??
    `REASON_${reason}`
  );
}
