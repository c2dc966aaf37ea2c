import { TypedEmitter } from './emitter.js';
import { pbxDisabled } from './errors.js';
import type { PbxEvents } from './events.js';
import type { Pbx } from './pbx.js';
import type { CallRecord, DigitsResult, OriginateResult, PbxState, PlayResult } from './types.js';

/** PBX=none: the service runs without telephony. Always stopped; every control rejects with pbx_disabled. */
export class NoPbx extends TypedEmitter<PbxEvents> implements Pbx {
  readonly kind = 'none' as const;
  readonly state: PbxState = 'stopped';

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async flush(): Promise<void> {}

  problems(): string[] {
    return [];
  }

  getCall(): CallRecord | undefined {
    return undefined;
  }

  activeCalls(): CallRecord[] {
    return [];
  }

  originate(): Promise<OriginateResult> {
    return Promise.reject(pbxDisabled());
  }

  clickToCall(): Promise<OriginateResult> {
    return Promise.reject(pbxDisabled());
  }

  playAndGetDigits(): Promise<DigitsResult> {
    return Promise.reject(pbxDisabled());
  }

  play(): Promise<PlayResult> {
    return Promise.reject(pbxDisabled());
  }

  transfer(): Promise<void> {
    return Promise.reject(pbxDisabled());
  }

  startRecording(): Promise<void> {
    return Promise.reject(pbxDisabled());
  }

  stopRecording(): Promise<void> {
    return Promise.reject(pbxDisabled());
  }

  hangup(): Promise<void> {
    return Promise.reject(pbxDisabled());
  }
}
