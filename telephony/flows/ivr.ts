import { TypedEmitter } from '../pbx/emitter.js';
import type { PbxEvents } from '../pbx/events.js';
import { type Logger, silentLogger } from '../pbx/logger.js';
import type { Pbx } from '../pbx/pbx.js';
import type { DigitsResult, Prompt } from '../pbx/types.js';
import { CASE_NUMBER_REGEX, isCaseNumber } from './case-number.js';
import { prompts } from './prompts.js';

export interface HotlineIvrOptions {
  pbx: Pbx;
  hotlineNumbers: string[];
  /** The agent queue callers are handed to (AGENT_QUEUE). */
  agentQueue: string;
  /** The case's state (cases.state, said as prompts.caseStates has it), or null when there is no such case. */
  lookupCaseStatus: (caseNumber: string) => Promise<string | null>;
  /** Re-prompts after bad input or silence before the caller is handed to an agent. */
  maxRetries?: number;
  menuTimeoutMs?: number;
  caseNumberTimeoutMs?: number;
  digitTimeoutMs?: number;
  logger?: Logger;
}

export type IvrOutcome =
  | { kind: 'queued'; reason: 'report' | 'agent' | 'too_many_attempts' | 'lookup_failed' | 'error' }
  | { kind: 'case_status'; caseNumber: string }
  | { kind: 'hangup' };

export interface HotlineIvrEvents {
  'ivr.finished': { callId: string; outcome: IvrOutcome };
}

type Choice = { kind: 'digits'; digits: string } | { kind: 'hangup' } | { kind: 'exhausted' };

/**
 * The hotline's self-service menu: 1 report a problem (agent queue), 2 hear a case's
 * status by its 13-digit number, 3 talk to an agent. Bad input and silence are
 * re-prompted up to maxRetries times, then the caller goes to an agent.
 */
export class HotlineIvr extends TypedEmitter<HotlineIvrEvents> {
  private unsubscribe: (() => void) | null = null;
  private readonly hotlines: Set<string>;
  private readonly log: Logger;
  private readonly maxRetries: number;
  private readonly menuTimeoutMs: number;
  private readonly caseNumberTimeoutMs: number;
  private readonly digitTimeoutMs: number;

  constructor(private readonly options: HotlineIvrOptions) {
    const log = options.logger ?? silentLogger();
    super((error) => log.error({ err: error }, 'an IVR listener threw'));
    this.log = log;
    this.hotlines = new Set(options.hotlineNumbers);
    this.maxRetries = options.maxRetries ?? 3;
    this.menuTimeoutMs = options.menuTimeoutMs ?? 5_000;
    this.caseNumberTimeoutMs = options.caseNumberTimeoutMs ?? 10_000;
    this.digitTimeoutMs = options.digitTimeoutMs ?? 4_000;
  }

  /** Runs the menu for every hotline call the dialplan answers. Calls found by a resync are left alone. */
  start(): this {
    this.unsubscribe ??= this.options.pbx.on('call.answered', (event) => this.onAnswered(event));
    return this;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  async run(callId: string): Promise<IvrOutcome> {
    let outcome: IvrOutcome;
    try {
      outcome = await this.mainMenu(callId);
    } catch (error) {
      this.log.warn({ err: error, callId }, 'IVR failed; handing the caller to an agent');
      outcome = { kind: 'queued', reason: 'error' };
      await this.options.pbx.transfer(callId, { kind: 'queue', queue: this.options.agentQueue }).catch(() => {});
    }
    this.emit('ivr.finished', { callId, outcome });
    return outcome;
  }

  private onAnswered(event: PbxEvents['call.answered']): void {
    if (event.recovered || event.direction !== 'inbound' || !this.hotlines.has(event.calledNumber)) return;
    void this.run(event.callId);
  }

  private async mainMenu(callId: string): Promise<IvrOutcome> {
    const choice = await this.choose(callId, prompts.mainMenu, '^[123]$', (result) =>
      result.status === 'invalid' ? prompts.mainMenuAfterInvalid : prompts.mainMenuAfterTimeout,
    );
    if (choice.kind === 'hangup') return { kind: 'hangup' };
    if (choice.kind === 'exhausted') return this.toQueue(callId, 'too_many_attempts', prompts.tooManyAttempts);
    if (choice.digits === '1') return this.toQueue(callId, 'report', prompts.transferToAgent);
    if (choice.digits === '3') return this.toQueue(callId, 'agent', prompts.transferToAgent);
    return this.caseQuery(callId);
  }

  private async caseQuery(callId: string): Promise<IvrOutcome> {
    const { pbx } = this.options;
    let prompt: Prompt = prompts.enterCaseNumber;
    let failures = 0;
    let unknown = 0;
    while (failures <= this.maxRetries && unknown <= this.maxRetries) {
      const result = await pbx.playAndGetDigits(callId, {
        prompt,
        minDigits: 13,
        // one more than the number, so the closing # ends input instead of waiting in the keypad buffer
        maxDigits: 14,
        tries: 1,
        timeoutMs: this.caseNumberTimeoutMs,
        digitTimeoutMs: this.digitTimeoutMs,
        terminators: '#',
        validRegex: CASE_NUMBER_REGEX,
      });
      if (result.status === 'hangup') return { kind: 'hangup' };
      if (result.status !== 'success' || !isCaseNumber(result.digits)) {
        failures++;
        prompt = result.status === 'timeout' ? prompts.caseNumberTimeout : prompts.caseNumberInvalid;
        continue;
      }
      const caseNumber = result.digits;
      let status: string | null;
      try {
        status = await this.options.lookupCaseStatus(caseNumber);
      } catch (error) {
        this.log.warn({ err: error, callId }, 'case status lookup failed');
        if ((await pbx.play(callId, prompts.lookupFailed)) === 'hangup') return { kind: 'hangup' };
        return this.toQueue(callId, 'lookup_failed', prompts.transferToAgent);
      }
      if (status !== null) {
        if ((await pbx.play(callId, prompts.caseStatus(caseNumber, status))) === 'hangup') return { kind: 'hangup' };
        if ((await pbx.play(callId, prompts.goodbye)) === 'hangup') return { kind: 'hangup' };
        await pbx
          .hangup(callId)
          .catch((error: unknown) => this.log.warn({ err: error, callId }, 'could not hang up after the status'));
        return { kind: 'case_status', caseNumber };
      }
      unknown++;
      const next = await this.choose(
        callId,
        prompts.caseNotFound(caseNumber),
        '^[13]$',
        () => prompts.caseNotFoundRetryMenu,
      );
      if (next.kind === 'hangup') return { kind: 'hangup' };
      if (next.kind === 'exhausted') return this.toQueue(callId, 'too_many_attempts', prompts.tooManyAttempts);
      if (next.digits === '3') return this.toQueue(callId, 'agent', prompts.transferToAgent);
      prompt = prompts.enterCaseNumber;
    }
    return this.toQueue(callId, 'too_many_attempts', prompts.tooManyAttempts);
  }

  /** One key from a menu, re-prompting after bad input or silence. */
  private async choose(
    callId: string,
    first: Prompt,
    regex: string,
    reprompt: (result: DigitsResult) => Prompt,
  ): Promise<Choice> {
    let prompt = first;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const result = await this.options.pbx.playAndGetDigits(callId, {
        prompt,
        minDigits: 1,
        maxDigits: 1,
        tries: 1,
        timeoutMs: this.menuTimeoutMs,
        validRegex: regex,
      });
      if (result.status === 'hangup') return { kind: 'hangup' };
      if (result.status === 'success') return { kind: 'digits', digits: result.digits };
      prompt = reprompt(result);
    }
    return { kind: 'exhausted' };
  }

  private async toQueue(
    callId: string,
    reason: Extract<IvrOutcome, { kind: 'queued' }>['reason'],
    notice: Prompt,
  ): Promise<IvrOutcome> {
    if ((await this.options.pbx.play(callId, notice)) === 'hangup') return { kind: 'hangup' };
    await this.options.pbx.transfer(callId, { kind: 'queue', queue: this.options.agentQueue });
    return { kind: 'queued', reason };
  }
}
