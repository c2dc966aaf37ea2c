import type { AgentRef, CallDirection, PbxState } from './types.js';

/** Every call event names the call and its parties, and says when it happened. */
export interface CallEventBase {
  callId: string;
  direction: CallDirection;
  callerNumber: string;
  calledNumber: string;
  /** When the PBX says it happened (its event timestamp), else when we learnt of it. */
  at: Date;
  /** When this process received it. */
  receivedAt: Date;
}

/**
 * The single dictionary of everything a Pbx emits. `recovered` marks what we
 * learnt from the PBX's channel list after a reconnect rather than from a live event.
 */
export interface PbxEvents {
  'call.started': CallEventBase & {
    callerName: string | null;
    variables: Record<string, string>;
    recovered: boolean;
  };
  'call.answered': CallEventBase & { recovered: boolean };
  'call.bridged': CallEventBase & { agent: AgentRef };
  'call.dtmf': CallEventBase & { digit: string };
  'recording.stopped': CallEventBase & { path: string };
  'call.hungup': CallEventBase & { cause: string; causeCode: number | null; recovered: boolean };
  'pbx.state': { state: PbxState; previous: PbxState; at: Date; error?: Error };
  'pbx.resynced': { at: Date; recovered: string[]; ended: string[]; active: number };
  'pbx.error': { error: Error; at: Date };
}

export type PbxEventName = keyof PbxEvents;
export type PbxListener<E extends PbxEventName> = (payload: PbxEvents[E]) => void;
