/** What a test sees of a simulated call, on either test PBX. */
export interface SimCall {
  readonly id: string;
  /** Every prompt the PBX played to this caller, as the PBX was asked to play it. */
  readonly prompts: readonly string[];
  /** Digits the caller pressed. */
  readonly pressed: string;
  readonly ended: Promise<{ cause: string }>;
  isUp(): boolean;
  isAnswered(): boolean;
  answer(): void;
  hangup(cause?: string): void;
  pressDigits(digits: string): void;
  bridgeToAgent(extension: string, agentId?: string): void;
  /**
   * Called each time the PBX starts collecting digits (play_and_get_digits, Read()):
   * return what the caller presses, null/undefined to stay silent (a timeout), or
   * 'hangup' to hang up instead of answering.
   */
  onCollect(handler: (request: CollectRequest) => string | null | undefined): void;
}

export interface CollectRequest {
  prompt: string;
  attempt: number;
  maxDigits: number;
}

export type OriginateOutcome = 'answer' | 'no_answer' | 'busy' | 'reject' | 'fail';

export type OriginatePlan =
  | OriginateOutcome
  | {
      outcome: OriginateOutcome;
      ringMs?: number;
      onAnswered?: (call: SimCall) => void;
      /** The far end sends no audio once answered (a parked leg, silence suppression). */
      silent?: boolean;
    };

export interface OriginateSeen {
  callId: string;
  destination: string;
  callerId: string;
  variables: Record<string, string>;
}

export type OriginateHandler = (request: OriginateSeen) => OriginatePlan | Promise<OriginatePlan>;

export function planOf(plan: OriginatePlan): {
  outcome: OriginateOutcome;
  ringMs: number;
  onAnswered?: (call: SimCall) => void;
  silent?: boolean;
} {
  return typeof plan === 'string' ? { outcome: plan, ringMs: 0 } : { ringMs: 0, ...plan };
}

/**
 * A caller's keypad: digits pressed wait in a queue (as in a real channel's DTMF
 * buffer) until an application collects them.
 */
export class DigitQueue {
  private readonly queue: string[] = [];
  private waiter: ((digit: string | null) => void) | null = null;
  private closed = false;
  private readonly watchers = new Set<() => void>();

  push(digit: string): void {
    for (const watcher of this.watchers) watcher();
    this.watchers.clear();
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake(digit);
    } else {
      this.queue.push(digit);
    }
  }

  /** Resolves null on timeout or when the call ends. */
  next(timeoutMs: number): Promise<string | null> {
    if (this.queue.length) return Promise.resolve(this.queue.shift()!);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = (digit) => {
        clearTimeout(timer);
        resolve(digit);
      };
    });
  }

  /** Collects up to max digits; stops at a terminator or when the caller goes quiet. */
  async collect(max: number, firstTimeoutMs: number, digitTimeoutMs: number, terminators: string) {
    let digits = '';
    for (;;) {
      const digit = await this.next(digits ? digitTimeoutMs : firstTimeoutMs);
      if (digit === null) return { digits, terminator: '', timedOut: true };
      if (terminators.includes(digit)) return { digits, terminator: digit, timedOut: false };
      digits += digit;
      if (digits.length >= max) return { digits, terminator: '', timedOut: false };
    }
  }

  /** Resolves once a digit waits in the queue (not taking it) or the call ends. */
  pressedOrClosed(): Promise<void> {
    if (this.queue.length || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.watchers.add(resolve));
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers) watcher();
    this.watchers.clear();
    this.waiter?.(null);
    this.waiter = null;
  }
}
