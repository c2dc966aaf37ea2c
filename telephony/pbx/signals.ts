import type { AgentRef, CallDirection } from './types.js';

/**
 * What an adapter knows about one channel (one leg). A citizen call is the channel
 * whose callId is its own channelId; agent legs carry the callId of the call they serve.
 */
export interface ChannelIdentity {
  channelId: string;
  callId: string;
  direction: CallDirection;
  callerNumber: string;
  callerName: string | null;
  calledNumber: string;
  createdAt: Date;
  variables: Record<string, string>;
  /** Set on agent legs when the PBX names the agent. */
  agent?: Partial<AgentRef>;
}

interface SignalBase {
  channelId: string;
  at: Date;
  /** Present when the raw event carried enough to create a record for a channel we missed. */
  identity?: ChannelIdentity;
}

/** The adapters' parsed output: transport-neutral, per channel. PbxBase turns these into PbxEvents. */
export type ChannelSignal =
  | { type: 'created'; channelId: string; at: Date; identity: ChannelIdentity }
  | ({ type: 'answered' } & SignalBase)
  | ({ type: 'bridged'; otherChannelId: string | null; agent?: Partial<AgentRef> } & SignalBase)
  | ({ type: 'dtmf'; digit: string } & SignalBase)
  | ({ type: 'variables'; variables: Record<string, string> } & SignalBase)
  /** A channel first seen as a leg turns out to be a citizen's call of its own (it entered our hotline dialplan). */
  | { type: 'own_call'; channelId: string; at: Date; identity: ChannelIdentity }
  /** The caller's identity, set after the channel was created (Asterisk NewCallerid). */
  | ({ type: 'caller'; callerNumber: string; callerName: string | null } & SignalBase)
  | ({ type: 'recording_stopped'; path: string } & SignalBase)
  | ({ type: 'hungup'; cause: string; causeCode: number | null } & SignalBase);

/** One row of the PBX's channel list, used to resynchronise after a reconnect. */
export interface ChannelSnapshot {
  identity: ChannelIdentity;
  answered: boolean;
}
