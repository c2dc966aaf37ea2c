export type PbxKind = 'freeswitch' | 'asterisk' | 'none';

/** `connecting` is the first attempt after start(); `reconnecting` every attempt after a loss. */
export type PbxState = 'stopped' | 'connecting' | 'connected' | 'reconnecting';

export type CallDirection = 'inbound' | 'outbound';

export interface AgentRef {
  /** The extension the call was bridged to (what an agent's phone registers as). */
  extension: string;
  /** The agent's identity when the PBX knows it (mod_callcenter's cc_agent, app_queue's MemberName). */
  id: string | null;
}

/** One citizen call, as the domain stores it. Agent legs are folded into the call they serve. */
export interface CallRecord {
  id: string;
  direction: CallDirection;
  callerNumber: string;
  callerName: string | null;
  calledNumber: string;
  startedAt: Date;
  answeredAt: Date | null;
  bridgedAt: Date | null;
  endedAt: Date | null;
  /** Q.850 cause name (NORMAL_CLEARING, USER_BUSY...) or one of the HANGUP_CAUSE_* constants. */
  hangupCause: string | null;
  recordingPath: string | null;
  agent: AgentRef | null;
  variables: Record<string, string>;
  /** Every digit the caller pressed, in order. */
  dtmf: string;
}

/** One piece of a recorded prompt: a prompt file by id, or digits read one by one (digits/<d>). */
export type PromptPart = { file: string } | { digits: string };

/**
 * A prompt has a stable id and its zh-CN text (for TTS and review). Recorded, it is the
 * file <id>, or, when it carries data (a case number, a status), the files and digits in
 * `parts`, played one after another.
 */
export interface Prompt {
  id: string;
  text: string;
  parts?: PromptPart[];
}

export interface OriginateRequest {
  /** The number to call, digits only (an optional leading +). */
  destination: string;
  /** The number the callee sees: the hotline. */
  callerId: string;
  /** Channel variables, e.g. { case_id, case_no }. */
  variables?: Record<string, string>;
  /** How long to let it ring. */
  ringTimeoutMs?: number;
}

/**
 * A call an agent places from the console: the PBX rings the agent's extension first and,
 * once the agent answers, dials the citizen (the same way survey calls go out) and bridges them.
 */
export interface ClickToCallRequest {
  /** The agent's extension (digits). */
  agentExtension: string;
  /** The citizen's number, digits only (an optional leading +). */
  destination: string;
  /** The number the citizen sees: the hotline. */
  callerId: string;
  /** Channel variables on the call, e.g. { case_id, case_no }. */
  variables?: Record<string, string>;
  /** How long to let each phone ring (the agent's, then the citizen's). */
  ringTimeoutMs?: number;
}

export type OriginateFailureReason = 'no_answer' | 'busy' | 'rejected' | 'failed';

export type OriginateResult =
  | { status: 'answered'; callId: string }
  | { status: 'failed'; callId: string; reason: OriginateFailureReason; cause: string };

export interface PlayAndGetDigitsOptions {
  prompt: Prompt;
  /** Played between tries after bad input; silence when absent. */
  invalidPrompt?: Prompt;
  minDigits: number;
  maxDigits: number;
  /** Wait for the first digit, per try. */
  timeoutMs: number;
  /** Wait between digits; defaults to timeoutMs. */
  digitTimeoutMs?: number;
  tries: number;
  /** A regular expression the whole input must match (PCRE/JS common subset). */
  validRegex?: string;
  /** Digits that end input early, e.g. "#". */
  terminators?: string;
}

export type DigitsResult =
  | { status: 'success'; digits: string }
  | { status: 'invalid'; digits: string }
  | { status: 'timeout' }
  | { status: 'hangup' };

export type PlayResult = 'completed' | 'hangup';

export type TransferTarget = { kind: 'agent'; extension: string } | { kind: 'queue'; queue: string };
