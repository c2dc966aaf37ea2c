import { PbxBase, type PbxBaseOptions } from '../pbx/base.js';
import { pbxCommandFailed, pbxDisconnected } from '../pbx/errors.js';
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
import { originateFailureReason } from './causes.js';
import { EslConnection, type EslFrame, type EslHeaders } from './connection.js';
import { ESL_EVENTS, digitsResult, parseShowChannels, toSignal } from './parse.js';

export interface FreeSwitchOptions extends PbxBaseOptions {
  host: string;
  port?: number;
  password: string;
  /** Where outbound calls go; {number} is replaced by the destination. */
  dialString?: string;
  /** The agent's phone for click-to-call; {extension} is replaced (directory users: user/{extension}). */
  agentDialString?: string;
  /** Dialplan contexts (conf/dialplan) for transfers to one agent or to the queue. */
  agentContext?: string;
  queueContext?: string;
  /** Where answered outbound (survey) legs go: extension `survey` in this context parks them. */
  outboundContext?: string;
  /**
   * `files` (the default): recordings, <soundsDir>/<id>.wav, case numbers from digits/<d>.wav;
   * `tts`: spoken from their text (say:, the tts_engine our dialplan sets: espeak-ng, Mandarin).
   */
  promptMode?: 'tts' | 'files';
  /** Where the recordings are on the FreeSWITCH machine; channel variables are expanded. */
  soundsDir?: string;
  /** The queue a hotline caller falls back to when the service stops driving the call (AGENT_QUEUE). */
  fallbackQueue?: string;
  /** The TTS module PROMPT_MODE=tts needs loaded. */
  ttsModule?: string;
  /** Channel variables copied into call records. */
  trackedVariables?: string[];
  /** Tap on every parsed frame (tests, diagnostics). */
  onFrame?: (frame: EslFrame) => void;
}

const DIGITS_VARIABLE = 'cg_digits';

export class FreeSwitchPbx extends PbxBase {
  readonly kind = 'freeswitch' as const;
  private conn: EslConnection | null = null;
  private readonly settings: Required<Omit<FreeSwitchOptions, keyof PbxBaseOptions | 'onFrame'>>;

  constructor(private readonly options: FreeSwitchOptions) {
    super(options);
    this.settings = {
      host: options.host,
      port: options.port ?? 8021,
      password: options.password,
      dialString: options.dialString ?? 'sofia/gateway/pstn/{number}',
      agentDialString: options.agentDialString ?? 'user/{extension}',
      agentContext: options.agentContext ?? 'cg_agents',
      queueContext: options.queueContext ?? 'cg_queue',
      outboundContext: options.outboundContext ?? 'cg_survey',
      promptMode: options.promptMode ?? 'files',
      soundsDir: options.soundsDir ?? '${cg_prompts_dir}',
      fallbackQueue: options.fallbackQueue ?? 'hotline',
      ttsModule: options.ttsModule ?? 'mod_tts_commandline',
      trackedVariables: options.trackedVariables ?? ['case_id', 'case_no', 'cg_purpose'],
    };
  }

  protected async openTransport(signal: AbortSignal): Promise<void> {
    const conn: EslConnection = await EslConnection.open({
      host: this.settings.host,
      port: this.settings.port,
      password: this.settings.password,
      events: ESL_EVENTS,
      signal,
      logger: this.log,
      onFrame: this.options.onFrame,
      onEvent: (headers) => this.onEvent(headers),
      onClose: (error) => {
        if (this.conn !== conn) return;
        this.conn = null;
        this.transportLost(error);
      },
    });
    this.conn = conn;
  }

  protected async closeTransport(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    await conn?.close(this.timeouts.commandMs);
  }

  protected destroyTransport(reason: Error): void {
    const conn = this.conn;
    this.conn = null;
    conn?.destroy(reason);
  }

  private onEvent(headers: EslHeaders): void {
    this.heard();
    const signal = toSignal(headers, this.settings.trackedVariables);
    if (signal) this.signal(signal);
  }

  private connection(): EslConnection {
    if (!this.conn) throw pbxDisconnected();
    return this.conn;
  }

  private async api(command: string): Promise<string> {
    const body = await this.connection().api(command, this.timeouts.commandMs);
    if (body.startsWith('-ERR') || body.startsWith('-USAGE'))
      throw pbxCommandFailed(command.split(' ')[0], body.trim());
    return body;
  }

  protected async listChannels(): Promise<ChannelSnapshot[]> {
    return parseShowChannels(await this.connection().api('show channels as json', this.timeouts.resyncMs));
  }

  protected async ping(): Promise<void> {
    await this.api('status');
  }

  protected async sendOriginate(callId: string, request: Required<OriginateRequest>): Promise<OriginateResult> {
    const dial = this.settings.dialString.replace('{number}', request.destination);
    return this.bgOriginate(
      callId,
      `${variableList(this.originationVariables(callId, request))}${dial} survey XML ${this.settings.outboundContext}`,
      request.ringTimeoutMs,
    );
  }

  /**
   * The agent's phone first; once answered, &bridge dials the citizen the way survey calls go
   * (the survey dial string), showing the hotline. The job answers when the agent's leg does.
   */
  protected async sendClickToCall(callId: string, request: Required<ClickToCallRequest>): Promise<OriginateResult> {
    const agent = this.settings.agentDialString.replace('{extension}', request.agentExtension);
    const citizen = variableList({
      origination_caller_id_number: request.callerId,
      origination_caller_id_name: request.callerId,
      originate_timeout: ringSeconds(request.ringTimeoutMs),
    });
    const dial = this.settings.dialString.replace('{number}', request.destination);
    const aLeg = this.originationVariables(callId, request);
    delete aLeg.ignore_early_media;
    return this.bgOriginate(callId, `${variableList(aLeg)}${agent} &bridge(${citizen}${dial})`, request.ringTimeoutMs);
  }

  private originationVariables(
    callId: string,
    request: { callerId: string; ringTimeoutMs: number; variables: Record<string, string> },
  ): Record<string, string> {
    return {
      origination_uuid: callId,
      origination_caller_id_number: request.callerId,
      origination_caller_id_name: request.callerId,
      originate_timeout: ringSeconds(request.ringTimeoutMs),
      ignore_early_media: 'true',
      ...request.variables,
    };
  }

  private async bgOriginate(callId: string, args: string, ringTimeoutMs: number): Promise<OriginateResult> {
    const reply = (await this.connection().bgapi(`originate ${args}`, ringTimeoutMs + this.timeouts.commandMs)).trim();
    if (reply.startsWith('+OK')) return { status: 'answered', callId };
    const cause = reply.startsWith('-ERR') ? reply.slice(4).trim() || 'UNKNOWN' : reply.split(/\s/)[0] || 'UNKNOWN';
    return { status: 'failed', callId, reason: originateFailureReason(cause), cause };
  }

  protected async sendPlayAndGetDigits(callId: string, options: PlayAndGetDigitsOptions): Promise<DigitsResult> {
    const args = [
      options.minDigits,
      options.maxDigits,
      options.tries,
      options.timeoutMs,
      options.terminators || 'none',
      quote(this.render(options.prompt)),
      quote(options.invalidPrompt ? this.render(options.invalidPrompt) : 'silence_stream://250'),
      DIGITS_VARIABLE,
      quote(options.validRegex ?? '\\d+'),
      options.digitTimeoutMs ?? options.timeoutMs,
    ].join(' ');
    const headers = await this.connection().execute(callId, 'play_and_get_digits', args, this.timeouts.commandMs);
    return digitsResult(headers, DIGITS_VARIABLE);
  }

  protected async sendPlay(callId: string, prompt: Prompt): Promise<void> {
    await this.connection().execute(callId, 'playback', this.render(prompt), this.timeouts.commandMs);
  }

  protected async sendTransfer(callId: string, target: TransferTarget): Promise<void> {
    const [destination, context] =
      target.kind === 'agent'
        ? [target.extension, this.settings.agentContext]
        : [target.queue, this.settings.queueContext];
    await this.api(`uuid_transfer ${callId} ${destination} XML ${context}`);
  }

  protected async sendStartRecording(callId: string, path: string): Promise<void> {
    await this.api(`uuid_record ${callId} start ${path}`);
  }

  protected async sendStopRecording(callId: string, path: string): Promise<void> {
    await this.api(`uuid_record ${callId} stop ${path}`);
  }

  protected async sendHangup(callId: string, cause: string): Promise<void> {
    await this.api(`uuid_kill ${callId} ${cause}`);
  }

  /**
   * Pushes back the hotline's fall-back to the queue (sched_transfer in our dialplan) past
   * the step about to run, so a caller whose service goes away mid-IVR reaches an agent
   * once this step ends rather than waiting in park.
   */
  protected override async beforeStep(callId: string, budgetMs: number): Promise<void> {
    if (this.getCall(callId)?.direction !== 'inbound') return;
    const seconds = Math.ceil(budgetMs / 1000) + 2;
    await this.connection().api(`sched_del ${callId}`, this.timeouts.commandMs);
    await this.api(
      `sched_transfer +${seconds} ${callId} ${this.settings.fallbackQueue} XML ${this.settings.queueContext}`,
    );
  }

  protected async checkPrompts(prompts: Prompt[]): Promise<string[]> {
    if (this.settings.promptMode === 'tts') {
      const loaded = (await this.api(`module_exists ${this.settings.ttsModule}`)).trim() === 'true';
      return loaded ? [] : prompts.map((p) => `${p.id} (${this.settings.ttsModule} not loaded)`);
    }
    const dir = (await this.api(`eval ${this.settings.soundsDir}`)).trim();
    const missing: string[] = [];
    for (const prompt of prompts) {
      const found = (await this.api(`file_exists ${dir}/${prompt.id}.wav`)).trim() === 'true';
      if (!found) missing.push(prompt.id);
    }
    return missing;
  }

  private render(prompt: Prompt): string {
    if (this.settings.promptMode === 'tts') return `say:${prompt.text.replace(/['\r\n]/g, '')}`;
    const files = (prompt.parts ?? [{ file: prompt.id }]).flatMap((part) =>
      'file' in part ? [part.file] : part.digits.split('').map((digit) => `digits/${digit}`),
    );
    const paths = files.map((file) => `${this.settings.soundsDir}/${file}.wav`);
    return paths.length === 1 ? paths[0] : `file_string://${paths.join('!')}`;
  }
}

/** FreeSWITCH splits application arguments on spaces but keeps '...' together. */
function quote(value: string): string {
  return `'${value.replace(/'/g, '')}'`;
}

const ringSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/** originate's {name=value,...}, commas in values escaped. */
function variableList(variables: Record<string, string>): string {
  const list = Object.entries(variables)
    .map(([name, value]) => `${name}=${value.replace(/,/g, '\\,')}`)
    .join(',');
  return `{${list}}`;
}
