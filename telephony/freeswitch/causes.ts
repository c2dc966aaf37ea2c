import type { OriginateFailureReason } from '../pbx/types.js';

/**
 * What a failed `originate` (`-ERR <HANGUP_CAUSE>`) means for the caller:
 *
 * | FreeSWITCH cause                                   | outcome     |
 * | -------------------------------------------------- | ----------- |
 * | NO_ANSWER, NO_USER_RESPONSE, ORIGINATOR_CANCEL (*) | `no_answer` |
 * | USER_BUSY                                          | `busy`      |
 * | CALL_REJECTED                                      | `rejected`  |
 * | anything else (UNALLOCATED_NUMBER, congestion...)  | `failed`    |
 *
 * (*) originate_timeout expiring while it rings ends the leg with ORIGINATOR_CANCEL.
 */
export function originateFailureReason(cause: string): OriginateFailureReason {
  switch (cause) {
    case 'NO_ANSWER':
    case 'NO_USER_RESPONSE':
    case 'ORIGINATOR_CANCEL':
      return 'no_answer';
    case 'USER_BUSY':
      return 'busy';
    case 'CALL_REJECTED':
      return 'rejected';
    default:
      return 'failed';
  }
}
