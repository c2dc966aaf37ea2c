import { PbxBase, type PbxBaseOptions } from '../pbx/base.js';
import { invalidArgument, pbxDisconnected, unknownCall } from '../pbx/errors.js';
import { causeCode, causeName } from '../pbx/hangup-causes.js';
import type { ChannelSnapshot } from '../pbx/signals.js';
import type {
  ClickToCallRequest,
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
  /** Click-to-call: the agent's phone is Local/<extension>@callbackAgent ... */
  callbackAgent: string;
  /** ... and once it answers, this context dials the citizen (CG_CALLBACK_DIAL) and bridges them. */
  callback: string;
}

export interface AsteriskOptions extends PbxBaseOptions {
  host: string;
  port?: number;
  username: string;
  password: string;
  /** Channel to originate on; {number} is replaced by the destination. */
  channelTemplate?: string;
  contexts?: Partial<AsteriskContexts>;
  /**
   * Prompts are sound files <soundsPrefix>/<prompt id> (Asterisk has no built-in TTS): a
   * folder under Asterisk's sounds, or an absolute path (PROMPTS_DIR).
   */
  soundsPrefix?: string;
  trackedVariables?: string[];
  onPacket?: (packet: AmiPacket, kind: 'event' | 'response') => void;
}

interface Waiter {
  callId: string;
  resolve(value: StepOutcome): void;
}

/** What our UserEvent CgStepDone says at the end of a Read() or Playback() (see extensions_cg.conf). */
type StepOutcome = { status: string; digits: string };

let stepSequence = 0;

export class AsteriskPbx extends PbxBase {
  readonly kind = 'asterisk' as const;
  private session: AmiSession | null = null;
  private readonly channels: AmiChannelTable;
  private readonly contexts: AsteriskContexts;
  /** Steps running in the dialplan, by the tag their UserEvent will carry. */
  private readonly steps = new Map<string, Waiter>();
  private readonly recordings = new Map<string, string>();

  constructor(private readonly options: AsteriskOptions) {
    super(options);
    this.contexts = {
      outbound: 'cg-outbound',
      read: 'cg-read',
      play: 'cg-play',
      agent: 'cg-agent',
      queue: 'cg-queue',
      callbackAgent: 'cg-callback-agent',
      callback: 'cg-callback',
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
      case 'UserEvent':
        if (event.UserEvent === 'CgStepDone') {
          this.steps.get(event.Tag ?? '')?.resolve({ status: event.Status ?? '', digits: event.Digits ?? '' });
        }
        break;
      case 'VarSet':
        // the dialplan's own recording (extensions_cg.conf, RECORD_CALLS=true)
        if (uniqueid && event.Variable === 'cg_recording' && event.Value) this.recordings.set(uniqueid, event.Value);
        break;
      case 'Hangup':
        if (uniqueid) {
          for (const step of [...this.steps.values()]) {
            if (step.callId === uniqueid) step.resolve({ status: 'HANGUP', digits: '' });
          }
        }
        break;
    }
    for (const signal of this.channels.apply(event, this.recordings)) this.signal(signal);
    // reported once: by MixMonitorStop when stopped on purpose, else with the hangup
    if (uniqueid && (event.Event === 'Hangup' || event.Event === 'MixMonitorStop')) this.recordings.delete(uniqueid);
  }

  protected async listChannels(): Promise<ChannelSnapshot[]> {
    const rows = await this.connection().list({ Action: 'CoreShowChannels' }, this.timeouts.resyncMs);
    return rows.filter((row) => row.Event === 'CoreShowChannel').map((row) => this.channels.snapshot(row));
  }

  protected async ping(): Promise<void> {
    await this.connection().action({ Action: 'Ping' }, this.timeouts.commandMs);
  }

  protected async sendOriginate(callId: string, request: Required<OriginateRequest>): Promise<OriginateResult> {
    return this.amiOriginate(callId, request, {
      Channel: this.citizenChannel(request.destination),
      Context: this.contexts.outbound,
      Exten: 's',
    });
  }

  /**
   * A Local channel rings the agent (cg-callback-agent); when the agent answers, its other half
   * runs cg-callback, which dials the citizen on the survey channel template with the hotline's
   * caller id. OriginateResponse comes when the agent answers.
   */
  protected async sendClickToCall(callId: string, request: Required<ClickToCallRequest>): Promise<OriginateResult> {
    return this.amiOriginate(
      callId,
      {
        ...request,
        variables: {
          ...request.variables,
          CG_CALLBACK_DIAL: this.citizenChannel(request.destination),
          CG_CALLBACK_RING: String(Math.max(1, Math.ceil(request.ringTimeoutMs / 1000))),
        },
      },
      {
        Channel: `Local/${request.agentExtension}@${this.contexts.callbackAgent}`,
        Context: this.contexts.callback,
        Exten: request.destination.replace(/^\+/, ''),
      },
    );
  }

  private citizenChannel(destination: string): string {
    const template = this.options.channelTemplate ?? 'PJSIP/{number}@trunk';
    if (!template.includes('{number}')) throw invalidArgument('originate: the channel template has no {number}');
    return template.replace('{number}', destination);
  }

  private async amiOriginate(
    callId: string,
    request: Required<OriginateRequest>,
    target: { Channel: string; Context: string; Exten: string },
  ): Promise<OriginateResult> {
    const variables = Object.entries(request.variables);
    if (variables.some(([, value]) => value.includes(','))) {
      throw invalidArgument('originate: Asterisk splits Variable on commas; values may not contain one');
    }
    this.channels.expectOriginated(callId);
    const response = await this.connection().originate(
      {
        Action: 'Originate',
        ...target,
        Priority: '1',
        CallerID: `"${request.callerId}" <${request.callerId}>`,
        Timeout: String(request.ringTimeoutMs),
        ChannelId: callId,
        ...(variables.length ? { Variable: variables.map(([name, value]) => `${name}=${value}`).join(',') } : {}),
      },
      request.ringTimeoutMs + this.timeouts.commandMs,
    );
    if (response.Response === 'Success') {
      this.channels.hangupCauseOf(callId);
      return { status: 'answered', callId };
    }
    const code = await this.channels.failureCauseOf(callId, 2_000);
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

  private async read(callId: string, options: PlayAndGetDigitsOptions): Promise<StepOutcome> {
    const seconds = (options.timeoutMs / 1000).toFixed(3).replace(/\.?0+$/, '');
    return this.step(callId, 'CG_READ', this.contexts.read, (tag) =>
      [this.sound(options.prompt), options.maxDigits, seconds, tag].join('|'),
    );
  }

  protected async sendPlay(callId: string, prompt: Prompt): Promise<void> {
    const outcome = await this.step(callId, 'CG_PLAY', this.contexts.play, (tag) => `${this.sound(prompt)}|${tag}`);
    if (outcome.status === 'FAILED') {
      this.log.error({ callId, prompt: prompt.id }, 'Asterisk could not play a prompt: is its file missing?');
    }
  }

  /**
   * Sets the step's variable and redirects the channel into its context; resolves with
   * the UserEvent our dialplan sends when the step ends, matched by a tag of ours, since
   * READSTATUS and PLAYBACKSTATUS change while the step runs and an interrupted step's
   * last word would otherwise be taken for the next one's.
   */
  private async step(
    callId: string,
    variable: string,
    context: string,
    value: (tag: string) => string,
  ): Promise<StepOutcome> {
    const channel = this.channelOf(callId);
    const tag = `${process.pid}-${++stepSequence}`;
    const done = new Promise<StepOutcome>((resolve) => {
      this.steps.set(tag, {
        callId,
        resolve: (outcome) => {
          this.steps.delete(tag);
          resolve(outcome);
        },
      });
    });
    try {
      await this.connection().action(
        { Action: 'Setvar', Channel: channel.name, Variable: variable, Value: value(tag) },
        this.timeouts.commandMs,
      );
      await this.connection().action(
        { Action: 'Redirect', Channel: channel.name, Context: context, Exten: 's', Priority: '1' },
        this.timeouts.commandMs,
      );
    } catch (error) {
      this.steps.delete(tag);
      throw error;
    }
    return done;
  }

  protected async checkPrompts(prompts: Prompt[]): Promise<string[]> {
    const prefix = this.options.soundsPrefix ?? 'cg';
    const dir = prefix.startsWith('/')
      ? prefix
      : `${(await this.connection().action({ Action: 'Getvar', Variable: 'ASTDATADIR' }, this.timeouts.commandMs)).Value}/sounds/${prefix}`;
    const missing: string[] = [];
    for (const prompt of prompts) {
      const reply = await this.connection().action(
        { Action: 'Getvar', Variable: `STAT(e,${dir}/${prompt.id}.wav)` },
        this.timeouts.commandMs,
      );
      if (reply.Value !== '1') missing.push(prompt.id);
    }
    return missing;
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

  /** Playback() and Read() play files joined with &; a case number is read from digits/<d>. */
  private sound(prompt: Prompt): string {
    const prefix = this.options.soundsPrefix ?? 'cg';
    const files = (prompt.parts ?? [{ file: prompt.id }]).flatMap((part) =>
      'file' in part ? [part.file] : part.digits.split('').map((digit) => `digits/${digit}`),
    );
    return files.map((file) => `${prefix}/${file}`).join('&');
  }
}
