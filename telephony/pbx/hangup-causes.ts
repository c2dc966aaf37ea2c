/**
 * Q.850 cause codes by the names FreeSWITCH uses; Asterisk reports the same codes as
 * numbers (Hangup `Cause`), so both adapters end up with one vocabulary.
 */
const Q850: Record<number, string> = {
  0: 'UNSPECIFIED',
  1: 'UNALLOCATED_NUMBER',
  2: 'NO_ROUTE_TRANSIT_NET',
  3: 'NO_ROUTE_DESTINATION',
  16: 'NORMAL_CLEARING',
  17: 'USER_BUSY',
  18: 'NO_USER_RESPONSE',
  19: 'NO_ANSWER',
  20: 'SUBSCRIBER_ABSENT',
  21: 'CALL_REJECTED',
  22: 'NUMBER_CHANGED',
  27: 'DESTINATION_OUT_OF_ORDER',
  28: 'INVALID_NUMBER_FORMAT',
  31: 'NORMAL_UNSPECIFIED',
  34: 'NORMAL_CIRCUIT_CONGESTION',
  38: 'NETWORK_OUT_OF_ORDER',
  41: 'NORMAL_TEMPORARY_FAILURE',
  42: 'SWITCH_CONGESTION',
  47: 'RESOURCE_UNAVAILABLE',
  58: 'BEARERCAPABILITY_NOTAVAIL',
  88: 'INCOMPATIBLE_DESTINATION',
  102: 'RECOVERY_ON_TIMER_EXPIRE',
  127: 'INTERWORKING',
};

const BY_NAME = new Map(Object.entries(Q850).map(([code, name]) => [name, Number(code)]));

export function causeName(code: number): string {
  return Q850[code] ?? `Q850_${code}`;
}

export function causeCode(name: string): number | null {
  return BY_NAME.get(name) ?? null;
}

/** The call vanished from the PBX while we were disconnected: we never saw its hangup. */
export const HANGUP_CAUSE_VANISHED = 'ENDED_WHILE_DISCONNECTED';
/** An originate failed before the PBX created a channel. */
export const HANGUP_CAUSE_NOT_CREATED = 'ORIGINATE_FAILED';
/** The PBX ended the channel without giving a cause (Asterisk `Cause: 0`): a later, real reason replaces it. */
export const HANGUP_CAUSE_UNSPECIFIED = 'UNSPECIFIED';
