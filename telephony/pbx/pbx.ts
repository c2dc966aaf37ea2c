import type { PbxEventName, PbxListener } from './events.js';
import type {
  CallRecord,
  ClickToCallRequest,
  DigitsResult,
  OriginateRequest,
  OriginateResult,
  PbxKind,
  PbxState,
  PlayAndGetDigitsOptions,
  PlayResult,
  Prompt,
  TransferTarget,
} from './types.js';

/**
 * The one telephony interface the domain sees. Flows and the server use only this;
 * which PBX is behind it is chosen by createPbx. Every control has a timeout; the
 * call-scoped ones resolve with `hangup` rather than hang when the caller goes away.
 */
export interface Pbx {
  readonly kind: PbxKind;
  readonly state: PbxState;

  /** Resolves once connected and resynchronised; rejects on bad credentials or stop(). Retries transient failures meanwhile. */
  start(): Promise<void>;
  stop(): Promise<void>;

  on<E extends PbxEventName>(event: E, listener: PbxListener<E>): () => void;
  once<E extends PbxEventName>(event: E, listener: PbxListener<E>): () => void;
  off<E extends PbxEventName>(event: E, listener: PbxListener<E>): void;

  /** A live or recently ended call. */
  getCall(callId: string): CallRecord | undefined;
  activeCalls(): CallRecord[];

  /** Places a call and waits until it is answered or fails; the call id is known before it rings. */
  originate(request: OriginateRequest): Promise<OriginateResult>;
  /**
   * Click-to-call: rings the agent's extension, then (once the agent answers) the citizen with
   * the hotline as caller id, and bridges the two. Resolves when the agent's leg is answered
   * (`answered`: the citizen is being dialled) or could not be (`failed`).
   */
  clickToCall(request: ClickToCallRequest): Promise<OriginateResult>;
  playAndGetDigits(callId: string, options: PlayAndGetDigitsOptions): Promise<DigitsResult>;
  play(callId: string, prompt: Prompt): Promise<PlayResult>;
  transfer(callId: string, target: TransferTarget): Promise<void>;
  startRecording(callId: string, path: string): Promise<void>;
  stopRecording(callId: string, path: string): Promise<void>;
  hangup(callId: string, cause?: string): Promise<void>;

  /** What is wrong though the link may be up (refused credentials, prompts it cannot play); empty when well. */
  problems(): string[];

  /**
   * Resolves when every record change so far has been handed to the CallRecordStore; with a call id,
   * only that call's (events reach listeners before their record is stored).
   */
  flush(callId?: string): Promise<void>;
}
