import { PbxBase, type PbxBaseOptions } from '../pbx/base.js';
import { invalidArgument, pbxDisconnected, unknownCall } from '../pbx/errors.js';
import { causeCode, causeName } from '../pbx/hangup-causes.js';
import type { ChannelSnapshot } from '../pbx/signals.js';
import type {
  DigitsResult,
  OriginateRequest,
  OriginateResult,
  PlayAndGetDigitsOptions,
  Prompt,
  TransferTarget,
} from '../pbx/types.js';
import { type AmiPacket, AmiSession } from './connection.js';
import { type AmiChannel, AmiChannelTable } from './channels.js';
import { originateFailureReason, reasonName } from './reasons.js';

/** Dialplan contexts the service drives calls into (see telephony/asterisk/conf/extensions_cg.conf). */
export interface AsteriskContexts {
  /** Where answered outbound calls wait for instructions. */
  outbound: string;
  read: string;
  play: string;
  agent: string;
  queue: string;
}

export interface AsteriskOptions extends PbxBaseOptions {
  host: string;
  port?: number;
  username: string;
  password: string;
  /** Channel to originate on; {number} is replaced by the destination. */
  channelTemplate?: string;
  contexts?: Partial<AsteriskContexts>;
  /** Prompts are sound files <soundsPrefix>/<prompt id> (Asterisk has no built-in TTS). */
  soundsPrefix?: string;
  trackedVariables?: string[];
  onPacket?: (packet: AmiPacket, kind: 'event' | 'response') => void;
}

interface Waiter<T> {
  resolve(value: T): void;
}

type ReadOutcome = { status: string; digits: string };

export class AsteriskPbx extends PbxBase {
  readonly kind = 'asterisk' as const;
  private session: AmiSession | null = null;
  private readonly channels: AmiChannelTable;
  private readonly contexts: AsteriskContexts;
  private readonly readWaiters = new Map<string, Waiter<ReadOutcome>>();
  private readonly playWaiters = new Map<string, Waiter<string>>();
  private readonly recordings = new Map<string, string>();

  constructor(private readonly options: AsteriskOptions) {
    super(options);
    this.contexts = {
      outbound: 'cg-outbound',
      read: 'cg-read',
      play: 'cg-play',
      agent: 'cg-agent',
      queue: 'cg-queue',
      ...options.contexts,
    };
    this.channels = new AmiChannelTable(options.trackedVariables ?? ['case_id', 'case_no', 'cg_purpose']);
  }

  protected async openTransport(signal: AbortSignal): Promise<void> {
    const session: AmiSession = await AmiSession.open({
      host: this.options.host,
      port: this.options.port ?? 5038,
      username: this.options.username,
      secret: this.options.password,
      signal,
      logger: this.log,
      onPacket: this.options.onPacket,
      onEvent: (event) => this.onEvent(event),
      onClose: (error) => {
        if (this.session !== session) return;
        this.session = null;
        this.transportLost(error);
      },
    });
    this.session = session;
  }

  protected async closeTransport(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.close(this.timeouts.commandMs);
  }

  protected destroyTransport(reason: Error): void {
    const session = this.session;
    this.session = null;
    session?.destroy(reason);
  }

  private connection(): AmiSession {
    if (!this.session) throw pbxDisconnected();
    return this.session;
  }

  private onEvent(event: AmiPacket): void {
    this.heard();
    const uniqueid = event.Uniqueid;
    switch (event.Event) {
      case 'VarSet':
        if (uniqueid) this.onVariable(uniqueid, event.Variable ?? '', event.Value ?? '');
        break;
      case 'Hangup':
        if (uniqueid) {
          this.readWaiters.get(uniqueid)?.resolve({ status: 'HANGUP', digits: '' });
          this.playWaiters.get(uniqueid)?.resolve('HANGUP');
          this.recordings.delete(uniqueid);
        }
        break;
    }
    for (const signal of this.channels.apply(event, this.recordings)) this.signal(signal);
  }

  private onVariable(uniqueid: string, name: string, value: string): void {
    const channel = this.channels.get(uniqueid);
    if (name === 'CG_DIGITS' && channel) channel.digits = value;
    if (name === 'READSTATUS')
      this.readWaiters.get(uniqueid)?.resolve({ status: value, digits: channel?.digits ?? '' });
    if (name === 'PLAYBACKSTATUS') this.playWaiters.get(uniqueid)?.resolve(value);
  }

  protected async listChannels(): Promise<ChannelSnapshot[]> {
    const rows = await this.connection().list({ Action: 'CoreShowChannels' }, this.timeouts.resyncMs);
    return rows.filter((row) => row.Event === 'CoreShowChannel').map((row) => this.channels.snapshot(row));
  }

  protected async ping(): Promise<void> {
    await this.connection().action({ Action: 'Ping' }, this.timeouts.commandMs);
  }

  protected async sendOriginate(callId: string, request: Required<OriginateRequest>): Promise<OriginateResult> {
    const variables = Object.entries(request.variables);
    if (variables.some(([, value]) => value.includes(','))) {
      throw invalidArgument('originate: Asterisk splits Variable on commas; values may not contain one');
    }
    this.channels.expectOriginated(callId);
    const template = this.options.channelTemplate ?? 'PJSIP/{number}@trunk';
    const response = await this.connection().originate(
      {
        Action: 'Originate',
        Channel: template.replace('{number}', request.destination),
        Context: this.contexts.outbound,
        Exten: 's',
        Priority: '1',
        CallerID: `"${request.callerId}" <${request.callerId}>`,
        Timeout: String(request.ringTimeoutMs),
        ChannelId: callId,
        ...(variables.length ? { Variable: variables.map(([name, value]) => `${name}=${value}`).join(',') } : {}),
      },
      request.ringTimeoutMs + this.timeouts.commandMs,
    );
    const code = this.channels.hangupCauseOf(callId);
    if (response.Response === 'Success') return { status: 'answered', callId };
    const reason = Number(response.Reason ?? 0);
    const cause = code !== null ? causeName(code) : reasonName(reason);
    return { status: 'failed', callId, reason: originateFailureReason(reason, code), cause };
  }

  /** Asterisk's Read() has no regex or retry-on-invalid, so tries and validation run here. */
  protected async sendPlayAndGetDigits(callId: string, options: PlayAndGetDigitsOptions): Promise<DigitsResult> {
    const pattern = options.validRegex ? new RegExp(options.validRegex) : null;
    let last: DigitsResult = { status: 'timeout' };
    for (let attempt = 1; attempt <= options.tries; attempt++) {
      const outcome = await this.read(callId, options);
      if (outcome.status === 'HANGUP') return { status: 'hangup' };
      const digits = outcome.digits.replace(/[#*]+$/, '');
      if (digits.length >= Math.max(1, options.minDigits) && (!pattern || pattern.test(digits))) {
        return { status: 'success', digits };
      }
      last = digits ? { status: 'invalid', digits } : { status: 'timeout' };
      if (attempt < options.tries && options.invalidPrompt) await this.sendPlay(callId, options.invalidPrompt);
    }
    return last;
  }

  private async read(callId: string, options: PlayAndGetDigitsOptions): Promise<ReadOutcome> {
    const channel = this.channelOf(callId);
    const seconds = (options.timeoutMs / 1000).toFixed(3).replace(/\.?0+$/, '');
    const value = `${this.sound(options.prompt)}|${options.maxDigits}|${seconds}`;
    await this.connection().action(
      { Action: 'Setvar', Channel: channel.name, Variable: 'CG_READ', Value: value },
      this.timeouts.commandMs,
    );
    return this.redirectAndWait(this.readWaiters, callId, channel, this.contexts.read, 's');
  }

  protected async sendPlay(callId: string, prompt: Prompt): Promise<void> {
    const channel = this.channelOf(callId);
    await this.connection().action(
      { Action: 'Setvar', Channel: channel.name, Variable: 'CG_PLAY', Value: this.sound(prompt) },
      this.timeouts.commandMs,
    );
    await this.redirectAndWait(this.playWaiters, callId, channel, this.contexts.play, 's');
  }

  private async redirectAndWait<T>(
    waiters: Map<string, Waiter<T>>,
    callId: string,
    channel: AmiChannel,
    context: string,
    exten: string,
  ): Promise<T> {
    const done = new Promise<T>((resolve) => {
      waiters.set(callId, {
        resolve: (value) => {
          waiters.delete(callId);
          resolve(value);
        },
      });
    });
    try {
      await this.connection().action(
        { Action: 'Redirect', Channel: channel.name, Context: context, Exten: exten, Priority: '1' },
        this.timeouts.commandMs,
      );
    } catch (error) {
      waiters.delete(callId);
      throw error;
    }
    return done;
  }

  protected async sendTransfer(callId: string, target: TransferTarget): Promise<void> {
    const channel = this.channelOf(callId);
    const [context, exten] =
      target.kind === 'agent' ? [this.contexts.agent, target.extension] : [this.contexts.queue, target.queue];
    await this.connection().action(
      { Action: 'Redirect', Channel: channel.name, Context: context, Exten: exten, Priority: '1' },
      this.timeouts.commandMs,
    );
  }

  protected async sendStartRecording(callId: string, path: string): Promise<void> {
    const channel = this.channelOf(callId);
    await this.connection().action(
      { Action: 'MixMonitor', Channel: channel.name, File: path },
      this.timeouts.commandMs,
    );
    this.recordings.set(callId, path);
  }

  protected async sendStopRecording(callId: string, path: string): Promise<void> {
    const channel = this.channelOf(callId);
    this.recordings.set(callId, this.recordings.get(callId) ?? path);
    await this.connection().action({ Action: 'StopMixMonitor', Channel: channel.name }, this.timeouts.commandMs);
  }

  protected async sendHangup(callId: string, cause: string): Promise<void> {
    const channel = this.channelOf(callId);
    await this.connection().action(
      { Action: 'Hangup', Channel: channel.name, Cause: String(causeCode(cause) ?? 16) },
      this.timeouts.commandMs,
    );
  }

  private channelOf(callId: string): AmiChannel {
    const channel = this.channels.get(callId);
    if (!channel) throw unknownCall(callId);
    return channel;
  }

  private sound(prompt: Prompt): string {
    return `${this.options.soundsPrefix ?? 'cg'}/${prompt.id}`;
  }
}
