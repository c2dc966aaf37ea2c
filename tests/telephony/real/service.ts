import { InboundCalls, type ScreenPop } from '../../../telephony/flows/inbound.js';
import { HotlineIvr, type IvrOutcome } from '../../../telephony/flows/ivr.js';
import type { Pbx } from '../../../telephony/pbx/pbx.js';

/**
 * The adapters' allowance for a prompt to play (PbxTimeouts.promptAllowanceMs): the longest
 * demo recording, the survey question read with its case number, plays for about 34 s.
 */
export const PROMPT_ALLOWANCE_MS = 45_000;

/** The case numbers the real-PBX tests' IVR knows, and the status it reads back. */
export const KNOWN_CASES: Record<string, string> = { '2026112100001': '派遣' };

/**
 * The service's side of a hotline on a real PBX: the IVR (short timeouts) and the screen-pops,
 * on 12319 and the hotline queue, with what they produced.
 */
export function hotlineService(pbx: Pbx) {
  const ivr = new HotlineIvr({
    pbx,
    hotlineNumbers: ['12319'],
    agentQueue: 'hotline',
    lookupCaseStatus: async (no) => KNOWN_CASES[no] ?? null,
    menuTimeoutMs: 4_000,
    caseNumberTimeoutMs: 8_000,
    digitTimeoutMs: 3_000,
  }).start();
  const pops: ScreenPop[] = [];
  const inbound = new InboundCalls({ pbx, hotlineNumbers: ['12319'] }).start();
  inbound.on('screen-pop', (pop) => pops.push(pop));
  const outcomes = new Map<string, IvrOutcome>();
  ivr.on('ivr.finished', (e) => outcomes.set(e.callId, e.outcome));
  const stop = async () => {
    ivr.stop();
    inbound.stop();
    await pbx.stop();
  };
  return { pops, outcomes, stop };
}

/** What a test's own PBX connection hears, and promises of the first event that matches. */
export class Heard<E> {
  private readonly listeners = new Set<(event: E) => void>();

  /** Feed every event of the connection here. */
  readonly hear = (event: E): void => {
    for (const listener of this.listeners) listener(event);
  };

  seen(match: (event: E) => boolean, ms = 20_000, what = 'event'): Promise<E> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${what} within ${ms} ms`));
      }, ms);
      const listener = (event: E) => {
        if (!match(event)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(event);
      };
      this.listeners.add(listener);
    });
  }
}
