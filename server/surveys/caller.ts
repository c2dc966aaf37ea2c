import type { Logger } from 'pino';
import { runSurveyCall, type Pbx, type SurveyOutcome } from '../../telephony/index.js';

export interface SurveyCallRequest {
  /** The citizen's number, in clear. */
  to: string;
  caseId: string;
  caseNo: string;
}

export type { SurveyOutcome };

/** The one thing survey jobs need of telephony. PBX faults are thrown; every other ending is an outcome. */
export interface SurveyCaller {
  call(request: SurveyCallRequest): Promise<SurveyOutcome>;
}

export interface PbxSurveyCallerOptions {
  /** The hotline number the citizen sees. */
  callerId: string;
  /** How long a call may wait for the PBX connection before the attempt counts as failed. */
  connectTimeoutMs?: number;
  answerTimeoutMs?: number;
  logger?: Logger;
}

/**
 * Survey calls through the PBX interface. The PBX is connected on first use, so a
 * process that never surveys by phone never opens the event socket; whoever owns
 * the Pbx stops it.
 */
export function pbxSurveyCaller(pbx: Pbx, options: PbxSurveyCallerOptions): SurveyCaller {
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  async function connected(): Promise<void> {
    if (pbx.state === 'connected') return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`PBX not connected within ${connectTimeoutMs} ms (state: ${pbx.state})`)),
        connectTimeoutMs,
      );
    });
    // start() is idempotent and keeps reconnecting in the background after our timeout.
    const starting = pbx.start();
    starting.catch(() => {});
    try {
      await Promise.race([starting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    async call(request) {
      await connected();
      return runSurveyCall(
        pbx,
        { ...request, callerId: options.callerId },
        {
          ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
        },
      );
    },
  };
}
