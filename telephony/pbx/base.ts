import { CallTracker } from './call-tracker.js';
import { HANGUP_CAUSE_VANISHED } from './hangup-causes.js';
import { TypedEmitter } from './emitter.js';
import { PbxAuthError, PbxError, invalidArgument, pbxNotConnected, pbxStopped } from './errors.js';
import type { PbxEventName, PbxEvents } from './events.js';
import { type Logger, silentLogger } from './logger.js';
import type { Pbx } from './pbx.js';
import type { ChannelSignal, ChannelSnapshot } from './signals.js';
import { type CallRecordStore, InMemoryCallRecordStore, cloneRecord } from './store.js';
import { type BackoffOptions, backoffDelay, defaultBackoff, sleep, withTimeout } from './timing.js';
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

export interface PbxTimeouts {
  /** One connection attempt: TCP connect, authentication and event subscription. */
  connectMs: number;
  /** Any single command and its reply. */
  commandMs: number;
  /** Default ring time for originate. */
  ringMs: number;
  /**
   * Allowance per try for a prompt to play, on top of the digit timeouts: at least the
   * longest prompt (the survey question with its case number is about 34 s in the demo
   * recordings).
   */
  promptAllowanceMs: number;
  /** Longest a plain prompt may play. */
  playMs: number;
  /** Asking the PBX for its channel list after a reconnect. */
  resyncMs: number;
  /** Ping the PBX when nothing was heard for this long; 0 disables. */
  keepaliveMs: number;
  /** A connection that stayed up this long resets the backoff. */
  stableAfterMs: number;
}

export const defaultTimeouts: PbxTimeouts = {
  connectMs: 10_000,
  commandMs: 5_000,
  ringMs: 45_000,
  promptAllowanceMs: 60_000,
  playMs: 120_000,
  resyncMs: 10_000,
  keepaliveMs: 20_000,
  stableAfterMs: 10_000,
};

export interface PbxBaseOptions {
  logger?: Logger;
  store?: CallRecordStore;
  timeouts?: Partial<PbxTimeouts>;
  reconnect?: Partial<BackoffOptions>;
  /**
   * Every prompt the flows may play. After each connection the adapter checks the PBX
   * can play them (files present, or the TTS engine loaded); what is missing is logged
   * as an error, reported as `pbx.error` and listed by `problems()`.
   */
  requiredPrompts?: Prompt[];
}

const NUMBER = /^\+?\d{2,24}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const VARIABLE_VALUE = /^[^\r\n{}'"]{0,256}$/;
const EXTENSION = /^\d{2,16}$/;

/** The numbers and channel variables of a call we place, checked before anything reaches the PBX. */
function checkedRequest(
  what: string,
  request: { destination: string; callerId: string; variables?: Record<string, string> },
): Record<string, string> {
  if (!NUMBER.test(request.destination)) throw invalidArgument(`${what}: bad destination "${request.destination}"`);
  if (!NUMBER.test(request.callerId)) throw invalidArgument(`${what}: bad caller id "${request.callerId}"`);
  const variables = request.variables ?? {};
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name) || !VARIABLE_VALUE.test(value)) {
      throw invalidArgument(`${what}: channel variable ${name} is not allowed`);
    }
  }
  return variables;
}

/**
 * Everything the adapters share, written once: lifecycle and reconnection with capped
 * exponential backoff, resynchronisation after a reconnect, timeouts on every command,
 * call-record assembly and writing to the store. An adapter implements the transport:
 * open/close, parsing raw frames into ChannelSignals (fed to `signal`), and the commands.
 */
export abstract class PbxBase extends TypedEmitter<PbxEvents> implements Pbx {
  abstract readonly kind: PbxKind;

  protected readonly log: Logger;
  protected readonly timeouts: PbxTimeouts;
  private readonly backoff: BackoffOptions;
  private readonly store: CallRecordStore;
  private readonly tracker: CallTracker;

  private stateValue: PbxState = 'stopped';
  private run: AbortController | null = null;
  private startPromise: Promise<void> | null = null;
  private settleStart: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private failedAttempts = 0;
  private connectedAt = 0;
  private lastHeard = 0;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  /** Incremented before every connection attempt; signals are stamped with it. */
  protected epoch = 0;
  private lostEpoch = -1;
  private readonly writes = new Map<string, Promise<void>>();
  private readonly hangupWaiters = new Map<string, Set<() => void>>();
  private readonly stateWaiters = new Set<() => void>();
  private readonly requiredPrompts: Prompt[];
  private missingPrompts: string[] = [];
  private authFailure: string | null = null;
  private lostAt = 0;

  protected constructor(options: PbxBaseOptions) {
    super((error, event) => this.log.error({ err: error, event }, 'a PBX event listener threw'));
    this.log = options.logger ?? silentLogger();
    this.timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.backoff = { ...defaultBackoff, ...options.reconnect };
    if (!options.store) this.log.warn('no CallRecordStore given: call records are kept in memory only');
    this.store = options.store ?? new InMemoryCallRecordStore();
    this.requiredPrompts = options.requiredPrompts ?? [];
    this.tracker = new CallTracker({
      emit: (event, payload) => this.publish(event, payload),
      persist: (record) => this.persist(record),
      log: this.log,
    });
  }

  // ---- transport, implemented by each adapter ----

  /** Connect, authenticate, subscribe. Throw PbxAuthError for refused credentials. Must give up when `signal` aborts. */
  protected abstract openTransport(signal: AbortSignal): Promise<void>;
  /** Leave politely (stop()). */
  protected abstract closeTransport(): Promise<void>;
  /** Drop the connection at once (a dead peer, a protocol error). */
  protected abstract destroyTransport(reason: Error): void;
  protected abstract listChannels(): Promise<ChannelSnapshot[]>;
  protected abstract ping(): Promise<void>;
  protected abstract sendOriginate(callId: string, request: Required<OriginateRequest>): Promise<OriginateResult>;
  /** Rings request.agentExtension, then bridges it to request.destination; resolves once the agent's leg answers or fails. */
  protected abstract sendClickToCall(callId: string, request: Required<ClickToCallRequest>): Promise<OriginateResult>;
  protected abstract sendPlayAndGetDigits(callId: string, options: PlayAndGetDigitsOptions): Promise<DigitsResult>;
  protected abstract sendPlay(callId: string, prompt: Prompt): Promise<void>;
  protected abstract sendTransfer(callId: string, target: TransferTarget): Promise<void>;
  protected abstract sendStartRecording(callId: string, path: string): Promise<void>;
  protected abstract sendStopRecording(callId: string, path: string): Promise<void>;
  protected abstract sendHangup(callId: string, cause: string): Promise<void>;
  /** Before each prompt on a call: `budgetMs` is the longest the step may take. */
  protected async beforeStep(_callId: string, _budgetMs: number): Promise<void> {}
  /** The prompts (by id) the PBX could not play: a missing file, or no TTS engine. */
  protected abstract checkPrompts(prompts: Prompt[]): Promise<string[]>;

  /**
   * What is wrong while the link may well be up: refused credentials, prompts the PBX
   * cannot play. Empty when all is well; /readyz reports the PBX as degraded otherwise.
   */
  problems(): string[] {
    const problems: string[] = [];
    if (this.authFailure) problems.push(this.authFailure);
    if (this.missingPrompts.length) problems.push(`prompts the PBX cannot play: ${this.missingPrompts.join(', ')}`);
    return problems;
  }

  /** Adapters feed every parsed channel event here. */
  protected signal(signal: ChannelSignal): void {
    this.lastHeard = Date.now();
    this.tracker.apply(signal, this.epoch);
  }

  /** Adapters call this on any inbound traffic, so keepalive pings only idle links. */
  protected heard(): void {
    this.lastHeard = Date.now();
  }

  /** Adapters call this when the current connection closes on its own. */
  protected transportLost(error?: Error): void {
    if (!this.run || this.run.signal.aborted || this.lostEpoch === this.epoch) return;
    if (this.stateValue !== 'connected') return;
    this.lostEpoch = this.epoch;
    this.stopKeepalive();
    if (Date.now() - this.connectedAt >= this.timeouts.stableAfterMs) this.failedAttempts = 0;
    this.log.warn({ err: error }, 'PBX connection lost, reconnecting');
    this.setState('reconnecting', error);
    void this.connectLoop(this.run.signal, backoffDelay(this.failedAttempts++, this.backoff));
  }

  // ---- lifecycle ----

  get state(): PbxState {
    return this.stateValue;
  }

  start(): Promise<void> {
    if (this.startPromise) return this.startPromise;
    const run = new AbortController();
    this.run = run;
    this.failedAttempts = 0;
    this.startPromise = new Promise<void>((resolve, reject) => {
      this.settleStart = { resolve, reject };
    });
    this.setState('connecting');
    void this.connectLoop(run.signal, 0);
    return this.startPromise;
  }

  async stop(): Promise<void> {
    const run = this.run;
    if (!run) return;
    run.abort();
    this.run = null;
    this.stopKeepalive();
    try {
      await withTimeout('close', this.timeouts.commandMs, this.closeTransport());
    } catch (error) {
      this.destroyTransport(error as Error);
    }
    this.settleStart?.reject(pbxStopped());
    this.settleStart = null;
    this.startPromise = null;
    this.setState('stopped');
    await this.flush();
  }

  private async connectLoop(run: AbortSignal, firstDelayMs: number): Promise<void> {
    if (firstDelayMs > 0) await sleep(firstDelayMs, run);
    while (!run.aborted) {
      const attempt = new AbortController();
      const abortAttempt = () => attempt.abort();
      run.addEventListener('abort', abortAttempt, { once: true });
      this.epoch++;
      try {
        await withTimeout('connect', this.timeouts.connectMs, this.openTransport(attempt.signal), abortAttempt);
      } catch (error) {
        abortAttempt();
        if (run.aborted) return;
        if (error instanceof PbxAuthError) {
          // A password being changed on both sides, or a PBX still loading its users, must
          // not stop telephony for good: report it loudly and keep trying, slowly.
          const delay = Math.max(backoffDelay(this.failedAttempts++, this.backoff), this.backoff.maxDelayMs);
          this.authFailure = error.message;
          this.log.error({ err: error, retryInMs: delay }, 'PBX refused our credentials; retrying');
          this.report(error);
          this.settleStart?.reject(error);
          this.renewStart();
          await sleep(delay, run);
          continue;
        }
        const delay = backoffDelay(this.failedAttempts++, this.backoff);
        this.log.warn({ err: error, retryInMs: delay }, 'PBX connection attempt failed');
        await sleep(delay, run);
        continue;
      } finally {
        run.removeEventListener('abort', abortAttempt);
      }
      if (run.aborted) {
        this.destroyTransport(pbxStopped());
        return;
      }
      this.connectedAt = Date.now();
      this.lastHeard = Date.now();
      this.authFailure = null;
      this.setState('connected');
      const epoch = this.epoch;
      try {
        await this.resync(epoch);
      } catch (error) {
        if (run.aborted || epoch !== this.epoch) return;
        this.log.warn({ err: error }, 'resynchronisation failed; dropping the connection to start over');
        this.report(error as Error);
        this.destroyTransport(error as Error);
        this.transportLost(error as Error);
        return;
      }
      this.startKeepalive();
      this.settleStart?.resolve();
      this.settleStart = null;
      void this.verifyPrompts(epoch);
      return;
    }
  }

  /** After a failed first attempt, start() callers wait for the next outcome rather than a stale one. */
  private renewStart(): void {
    const promise = new Promise<void>((resolve, reject) => {
      this.settleStart = { resolve, reject };
    });
    promise.catch(() => {});
    this.startPromise = promise;
  }

  private async verifyPrompts(epoch: number): Promise<void> {
    if (!this.requiredPrompts.length) return;
    try {
      const missing = await withTimeout(
        'prompt check',
        this.timeouts.resyncMs,
        this.checkPrompts(this.requiredPrompts),
      );
      if (epoch !== this.epoch) return;
      this.missingPrompts = missing;
      if (missing.length) {
        const error = new PbxError('pbx_prompts_missing', `the PBX cannot play these prompts: ${missing.join(', ')}`);
        this.log.error({ missing }, 'prompts missing on the PBX: callers would hear silence');
        this.report(error);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'could not check the prompts on the PBX');
    }
  }

  private async resync(epoch: number): Promise<void> {
    const listedAt = new Date();
    const snapshots = await withTimeout('resync', this.timeouts.resyncMs, this.listChannels());
    if (epoch !== this.epoch) return;
    const { recovered, ended } = this.tracker.reconcile(snapshots, epoch);
    ended.push(...(await this.closeVanished(snapshots, listedAt)));
    if (epoch !== this.epoch) return;
    if (recovered.length || ended.length) {
      this.log.info({ recovered: recovered.length, ended: ended.length }, 'resynchronised with the PBX');
    }
    this.publish('pbx.resynced', {
      at: new Date(),
      recovered,
      ended,
      active: this.tracker.liveRecords().length,
    });
  }

  /**
   * Calls another process stored (a fail-over, a restart) that ended while nobody listened:
   * neither on the PBX's list nor known here, they would stay open for ever. A failure is
   * reported, not fatal: the next resync tries again.
   */
  private async closeVanished(snapshots: ChannelSnapshot[], listedAt: Date): Promise<string[]> {
    const keep = this.tracker.knownIds();
    for (const snapshot of snapshots) keep.add(snapshot.identity.channelId);
    try {
      const closed = await withTimeout(
        'closing vanished calls',
        this.timeouts.resyncMs,
        this.store.closeVanished({ keep, startedBefore: listedAt, endedAt: new Date(), cause: HANGUP_CAUSE_VANISHED }),
      );
      if (closed.length) this.log.info({ closed: closed.length }, 'closed stored calls that ended while disconnected');
      return closed;
    } catch (error) {
      this.log.warn({ err: error }, 'could not close stored calls that ended while disconnected');
      this.report(error as Error);
      return [];
    }
  }

  private startKeepalive(): void {
    this.stopKeepalive();
    const every = this.timeouts.keepaliveMs;
    if (every <= 0) return;
    const epoch = this.epoch;
    this.keepaliveTimer = setInterval(
      () => {
        if (this.stateValue !== 'connected' || Date.now() - this.lastHeard < every) return;
        this.lastHeard = Date.now();
        withTimeout('ping', this.timeouts.commandMs, this.ping()).catch((error: Error) => {
          if (epoch !== this.epoch || this.stateValue !== 'connected') return;
          this.log.warn({ err: error }, 'PBX did not answer a ping; reconnecting');
          this.destroyTransport(error);
          this.transportLost(error);
        });
      },
      Math.max(50, Math.floor(every / 2)),
    );
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }

  private setState(state: PbxState, error?: Error): void {
    if (state === this.stateValue) return;
    const previous = this.stateValue;
    this.stateValue = state;
    if (state === 'connected') {
      const downMs = this.lostAt ? Date.now() - this.lostAt : 0;
      this.log.info(
        { kind: this.kind, ...(downMs ? { downMs } : {}) },
        previous === 'reconnecting' ? 'PBX reconnected' : 'PBX connected',
      );
      this.lostAt = 0;
    } else if (state === 'reconnecting') {
      this.lostAt = Date.now();
    } else if (state === 'stopped' && error) {
      this.log.error({ err: error }, 'PBX stopped');
    }
    this.publish('pbx.state', { state, previous, at: new Date(), ...(error ? { error } : {}) });
    for (const wake of [...this.stateWaiters]) wake();
  }

  protected report(error: Error): void {
    this.publish('pbx.error', { error, at: new Date() });
  }

  /** Waits (up to the command timeout) for a reconnect in progress rather than failing at once. */
  private async ready(): Promise<void> {
    if (this.stateValue === 'connected') return;
    if (this.stateValue === 'stopped') throw pbxNotConnected(this.stateValue);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stateWaiters.delete(check);
        reject(pbxNotConnected(this.stateValue));
      }, this.timeouts.commandMs);
      const check = () => {
        if (this.stateValue === 'connecting' || this.stateValue === 'reconnecting') return;
        clearTimeout(timer);
        this.stateWaiters.delete(check);
        if (this.stateValue === 'connected') resolve();
        else reject(pbxNotConnected(this.stateValue));
      };
      this.stateWaiters.add(check);
    });
  }

  // ---- records ----

  getCall(callId: string): CallRecord | undefined {
    const record = this.tracker.get(callId);
    return record && cloneRecord(record);
  }

  activeCalls(): CallRecord[] {
    return this.tracker.liveRecords().map(cloneRecord);
  }

  async flush(callId?: string): Promise<void> {
    if (callId === undefined) {
      while (this.writes.size) await Promise.all([...this.writes.values()]);
      return;
    }
    for (let pending = this.writes.get(callId); pending; pending = this.writes.get(callId)) await pending;
  }

  private persist(record: CallRecord): void {
    const snapshot = cloneRecord(record);
    const previous = this.writes.get(record.id) ?? Promise.resolve();
    const next = previous.then(() => this.write(snapshot));
    this.writes.set(record.id, next);
    void next.then(() => {
      if (this.writes.get(record.id) === next) this.writes.delete(record.id);
    });
  }

  /** Each upsert carries the whole record, so a later success heals an earlier failure. */
  private async write(record: CallRecord): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.upsert(record);
        return;
      } catch (error) {
        if (attempt >= 2) {
          this.log.error({ err: error, callId: record.id }, 'could not store a call record');
          this.report(error as Error);
          return;
        }
        await sleep(100 * 5 ** attempt);
      }
    }
  }

  private publish<E extends PbxEventName>(event: E, payload: PbxEvents[E]): void {
    if (event === 'call.hungup') {
      const callId = (payload as PbxEvents['call.hungup']).callId;
      const waiters = this.hangupWaiters.get(callId);
      this.hangupWaiters.delete(callId);
      for (const wake of waiters ?? []) wake();
    }
    this.emit(event, payload);
  }

  // ---- controls ----

  async originate(request: OriginateRequest): Promise<OriginateResult> {
    const variables = checkedRequest('originate', request);
    await this.ready();
    return this.placeCall(request.destination, request, variables, (callId, ringTimeoutMs) =>
      this.sendOriginate(callId, { ...request, variables, ringTimeoutMs }),
    );
  }

  async clickToCall(request: ClickToCallRequest): Promise<OriginateResult> {
    const variables = checkedRequest('clickToCall', request);
    if (!EXTENSION.test(request.agentExtension))
      throw invalidArgument(`clickToCall: bad agent extension "${request.agentExtension}"`);
    await this.ready();
    // The record is the citizen's call, placed by the hotline; the agent is the extension rung first.
    const tagged = { ...variables, cg_purpose: 'callback', cg_agent: request.agentExtension };
    return this.placeCall(request.destination, request, tagged, (callId, ringTimeoutMs) =>
      this.sendClickToCall(callId, { ...request, variables: tagged, ringTimeoutMs }),
    );
  }

  /** Tracks a call we place and waits for the adapter's answer (a timeout covers a PBX that never says). */
  private async placeCall(
    destination: string,
    request: { callerId: string; ringTimeoutMs?: number },
    variables: Record<string, string>,
    send: (callId: string, ringTimeoutMs: number) => Promise<OriginateResult>,
  ): Promise<OriginateResult> {
    const callId = this.newCallId();
    const ringTimeoutMs = request.ringTimeoutMs ?? this.timeouts.ringMs;
    this.tracker.expectOutbound(callId, {
      callerNumber: request.callerId,
      calledNumber: destination,
      variables,
      requestedAt: new Date(),
    });
    const result = await withTimeout(
      'originate',
      ringTimeoutMs + this.timeouts.commandMs * 2,
      send(callId, ringTimeoutMs),
    );
    if (result.status === 'failed') this.tracker.recordFailedOriginate(callId, result.cause, new Date());
    return result;
  }

  async playAndGetDigits(callId: string, options: PlayAndGetDigitsOptions): Promise<DigitsResult> {
    validateDigits(options);
    if (!this.tracker.isLive(callId)) return { status: 'hangup' };
    await this.ready();
    const perTry =
      options.timeoutMs +
      (options.digitTimeoutMs ?? options.timeoutMs) * options.maxDigits +
      this.timeouts.promptAllowanceMs;
    const budgetMs = this.timeouts.commandMs + options.tries * perTry;
    return this.untilHangup(
      callId,
      'play_and_get_digits',
      budgetMs,
      () =>
        this.acrossLinkDrop(callId, async () => {
          await this.beforeStep(callId, budgetMs);
          return this.sendPlayAndGetDigits(callId, options);
        }),
      { status: 'hangup' } as const,
    );
  }

  async play(callId: string, prompt: Prompt): Promise<PlayResult> {
    if (!this.tracker.isLive(callId)) return 'hangup';
    await this.ready();
    return this.untilHangup(
      callId,
      'play',
      this.timeouts.playMs,
      async () => {
        await this.acrossLinkDrop(callId, async () => {
          await this.beforeStep(callId, this.timeouts.playMs);
          await this.sendPlay(callId, prompt);
        });
        return 'completed' as const;
      },
      'hangup' as const,
    );
  }

  async transfer(callId: string, target: TransferTarget): Promise<void> {
    const name = target.kind === 'agent' ? target.extension : target.queue;
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name)) throw invalidArgument(`transfer: bad target "${name}"`);
    await this.command('transfer', () => this.sendTransfer(callId, target));
  }

  async startRecording(callId: string, path: string): Promise<void> {
    validatePath(path);
    await this.command('startRecording', () => this.sendStartRecording(callId, path));
  }

  async stopRecording(callId: string, path: string): Promise<void> {
    validatePath(path);
    await this.command('stopRecording', () => this.sendStopRecording(callId, path));
  }

  async hangup(callId: string, cause = 'NORMAL_CLEARING'): Promise<void> {
    if (!/^[A-Z_0-9]{1,40}$/.test(cause)) throw invalidArgument(`hangup: bad cause "${cause}"`);
    if (!this.tracker.isLive(callId)) return;
    await this.command('hangup', () => this.sendHangup(callId, cause));
  }

  /**
   * A prompt whose result was lost with the link is asked again once the link is back,
   * so a short drop re-prompts the caller instead of ending the IVR.
   */
  private async acrossLinkDrop<T>(callId: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const code = (error as PbxError).code;
      if (code !== 'pbx_disconnected' && code !== 'pbx_not_connected') throw error;
      await this.ready();
      if (!this.tracker.isLive(callId)) throw error;
      this.log.info({ callId }, 'the link dropped during a prompt; asking again');
      return step();
    }
  }

  protected newCallId(): string {
    return crypto.randomUUID();
  }

  private async command<T>(what: string, work: () => Promise<T>): Promise<T> {
    await this.ready();
    return withTimeout(what, this.timeouts.commandMs, work());
  }

  /** Runs a call-scoped command that ends early, with `onHangup`, if the call hangs up meanwhile. */
  private untilHangup<T>(callId: string, what: string, ms: number, work: () => Promise<T>, onHangup: T): Promise<T> {
    let wake!: () => void;
    const hungUp = new Promise<T>((resolve) => {
      wake = () => resolve(onHangup);
    });
    const waiters = this.hangupWaiters.get(callId) ?? new Set();
    waiters.add(wake);
    this.hangupWaiters.set(callId, waiters);
    // a command refused because the channel is already gone is a hangup, not a fault
    const running = withTimeout(what, ms, work()).catch((error: unknown) => {
      if (!this.tracker.isLive(callId)) return onHangup;
      throw error;
    });
    running.catch(() => {});
    return Promise.race([running, hungUp]).finally(() => {
      const set = this.hangupWaiters.get(callId);
      set?.delete(wake);
      if (set && !set.size) this.hangupWaiters.delete(callId);
    });
  }
}

function validateDigits(options: PlayAndGetDigitsOptions): void {
  const { minDigits, maxDigits, tries, timeoutMs } = options;
  if (
    !Number.isInteger(minDigits) ||
    !Number.isInteger(maxDigits) ||
    minDigits < 0 ||
    maxDigits < 1 ||
    minDigits > maxDigits ||
    maxDigits > 128
  ) {
    throw invalidArgument('playAndGetDigits: need 0 <= minDigits <= maxDigits <= 128');
  }
  if (!Number.isInteger(tries) || tries < 1 || tries > 10)
    throw invalidArgument('playAndGetDigits: tries must be 1..10');
  if (!(timeoutMs > 0)) throw invalidArgument('playAndGetDigits: timeoutMs must be positive');
  if (options.terminators !== undefined && !/^[0-9*#]{0,4}$/.test(options.terminators)) {
    throw invalidArgument('playAndGetDigits: terminators are DTMF digits');
  }
  if (options.validRegex !== undefined) {
    if (/[\s']/.test(options.validRegex))
      throw invalidArgument('playAndGetDigits: validRegex may not hold spaces or quotes');
    try {
      new RegExp(options.validRegex);
    } catch {
      throw invalidArgument(`playAndGetDigits: bad validRegex ${options.validRegex}`);
    }
  }
}

function validatePath(path: string): void {
  if (!/^[\w./-]{1,255}$/.test(path) || path.includes('..')) throw invalidArgument(`recording: bad path "${path}"`);
}
