import { randomUUID } from 'node:crypto';
import { type CollectRequest, DigitQueue, type SimCall } from './sim-call.js';
import type { Header } from './esl-wire.js';

/** What a simulated channel needs from the server it lives in. */
export interface EslChannelHost {
  readonly hostname: string;
  readonly coreUuid: string;
  nextSequence(): number;
  emit(name: string, headers: Header[], body?: string): void;
  remove(channel: EslChannel): void;
  bridge(a: EslChannel, extension: string, agentId?: string): void;
}

export interface EslChannelInit {
  uuid?: string;
  direction: 'inbound' | 'outbound';
  callerNumber: string;
  callerName?: string;
  destination: string;
  context: string;
  callUuid?: string;
  variables?: Record<string, string>;
  /** The sofia profile the call runs on (telephony/freeswitch/conf/sip_profiles); `external` by default. */
  profile?: string;
  /** The far end sends no RTP once answered (a parked leg, silence suppression). */
  silent?: boolean;
}

const Q850: Record<string, number> = {
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  CALL_REJECTED: 21,
  ORIGINATOR_CANCEL: 487,
  UNALLOCATED_NUMBER: 1,
  NORMAL_TEMPORARY_FAILURE: 41,
};

function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** One FreeSWITCH channel as the test server models it: state, variables, a keypad, running apps. */
export class EslChannel implements SimCall {
  readonly id: string;
  readonly uuid: string;
  readonly createdMicros: number;
  readonly prompts: string[] = [];
  pressed = '';
  answeredMicros = 0;
  hungup = false;
  /** The far end sends no RTP (init.silent, or the originate plan's). */
  silent: boolean;
  bridgedTo: EslChannel | null = null;
  /** Where the dialplan has the call now: the number dialled, until a transfer changes it (`show channels` dest). */
  destination: string;
  recordings = new Set<string>();
  readonly variables = new Map<string, string>();
  readonly keypad = new DigitQueue();
  collector: ((request: CollectRequest) => string | null | undefined) | null = null;
  /** Applications run one after another on a channel, as in FreeSWITCH. */
  appChain: Promise<void> = Promise.resolve();
  readonly ended: Promise<{ cause: string }>;
  private settleEnded!: (value: { cause: string }) => void;
  /** Resolves when the hangup starts (running applications end after it, then `ended`). */
  readonly hangingUp: Promise<void>;
  private settleHangingUp!: () => void;

  constructor(
    private readonly host: EslChannelHost,
    readonly init: EslChannelInit,
  ) {
    this.uuid = init.uuid ?? randomUUID();
    this.destination = init.destination;
    this.silent = init.silent ?? false;
    this.id = this.uuid;
    this.createdMicros = Date.now() * 1000;
    this.ended = new Promise((resolve) => (this.settleEnded = resolve));
    this.hangingUp = new Promise((resolve) => (this.settleHangingUp = resolve));
    this.variables.set('direction', init.direction);
    this.variables.set('uuid', this.uuid);
    this.variables.set('call_uuid', init.callUuid ?? this.uuid);
    for (const [name, value] of Object.entries(init.variables ?? {})) this.variables.set(name, value);
  }

  get callUuid(): string {
    return this.init.callUuid ?? this.uuid;
  }

  get profile(): string {
    return this.init.profile ?? 'external';
  }

  get name(): string {
    return this.init.direction === 'inbound'
      ? `sofia/${this.profile}/${this.init.callerNumber}@198.51.100.7`
      : `sofia/gateway/pstn/${this.init.destination}`;
  }

  get callState(): string {
    if (this.hungup) return 'HANGUP';
    return this.answeredMicros ? 'ACTIVE' : 'RINGING';
  }

  isUp(): boolean {
    return !this.hungup;
  }

  isAnswered(): boolean {
    return this.answeredMicros > 0;
  }

  onCollect(handler: (request: CollectRequest) => string | null | undefined): void {
    this.collector = handler;
  }

  create(): void {
    this.emit('CHANNEL_CREATE', 'CS_INIT', 'DOWN');
  }

  answer(): void {
    if (this.hungup || this.answeredMicros) return;
    this.answeredMicros = Date.now() * 1000;
    this.emit('CHANNEL_ANSWER', 'CS_EXECUTE', 'ACTIVE');
  }

  pressDigits(digits: string): void {
    for (const digit of digits) {
      if (this.hungup) return;
      this.pressed += digit;
      this.emit('DTMF', 'CS_EXECUTE', 'ACTIVE', [
        ['DTMF-Digit', digit],
        ['DTMF-Duration', '2000'],
        ['DTMF-Source', 'RTP'],
      ]);
      this.keypad.push(digit);
    }
  }

  bridgeToAgent(extension: string, agentId?: string): void {
    this.host.bridge(this, extension, agentId);
  }

  hangup(cause = 'NORMAL_CLEARING'): void {
    if (this.hungup) return;
    this.hungup = true;
    this.settleHangingUp();
    this.keypad.close();
    const q850 = String(Q850[cause] ?? 16);
    this.variables.set('hangup_cause', cause);
    this.variables.set('hangup_cause_q850', q850);
    this.emit('CHANNEL_HANGUP', 'CS_HANGUP', 'HANGUP', [['Hangup-Cause', cause]]);
    for (const path of this.recordings) this.emitRecordStop(path);
    this.recordings.clear();
    // applications still running end before the channel is reported gone
    void this.appChain.then(() => {
      this.emit('CHANNEL_HANGUP_COMPLETE', 'CS_REPORTING', 'HANGUP', [['Hangup-Cause', cause]]);
      this.host.remove(this);
      this.settleEnded({ cause });
      const peer = this.bridgedTo;
      this.bridgedTo = null;
      if (peer && !peer.hungup) peer.hangup(cause);
    });
  }

  emitRecordStop(path: string): void {
    this.emit('RECORD_STOP', 'CS_EXECUTE', 'ACTIVE', [['Record-File-Path', path]]);
  }

  emit(eventName: string, state: string, callState: string, extra: Header[] = [], body?: string): void {
    this.host.emit(eventName, [...this.headers(eventName, state, callState), ...extra], body);
  }

  /** Roughly the header set FreeSWITCH puts on channel events (switch_channel_event_set_data). */
  headers(eventName: string, state: string, callState: string): Header[] {
    const now = new Date();
    const i = this.init;
    const answered = this.answeredMicros
      ? 'answered'
      : this.hungup
        ? 'hangup'
        : i.direction === 'inbound'
          ? 'ringing'
          : 'early';
    const headers: Header[] = [
      ['Event-Name', eventName],
      ['Core-UUID', this.host.coreUuid],
      ['FreeSWITCH-Hostname', this.host.hostname],
      ['FreeSWITCH-Switchname', this.host.hostname],
      ['FreeSWITCH-IPv4', '198.51.100.2'],
      ['FreeSWITCH-IPv6', '::1'],
      ['Event-Date-Local', localDate(now)],
      ['Event-Date-GMT', now.toUTCString()],
      ['Event-Date-Timestamp', String(now.getTime() * 1000)],
      ['Event-Calling-File', 'switch_channel.c'],
      ['Event-Calling-Function', 'switch_channel_perform_mark_answered'],
      ['Event-Calling-Line-Number', '3935'],
      ['Event-Sequence', String(this.host.nextSequence())],
      ['Channel-State', state],
      ['Channel-Call-State', callState],
      ['Channel-State-Number', state === 'CS_INIT' ? '2' : state === 'CS_HANGUP' ? '10' : '4'],
      ['Channel-Name', this.name],
      ['Unique-ID', this.uuid],
      ['Call-Direction', i.direction],
      ['Presence-Call-Direction', i.direction],
      ['Channel-HIT-Dialplan', i.direction === 'inbound' ? 'true' : 'false'],
      ['Channel-Call-UUID', this.callUuid],
      ['Answer-State', answered],
      ['Caller-Direction', i.direction],
      ['Caller-Logical-Direction', i.direction],
      ['Caller-Username', i.callerNumber],
      ['Caller-Dialplan', 'XML'],
      ['Caller-Caller-ID-Name', i.callerName ?? i.callerNumber],
      ['Caller-Caller-ID-Number', i.callerNumber],
      ['Caller-Orig-Caller-ID-Name', i.callerName ?? i.callerNumber],
      ['Caller-Orig-Caller-ID-Number', i.callerNumber],
      ['Caller-Network-Addr', '198.51.100.7'],
      ['Caller-ANI', i.callerNumber],
      ['Caller-Destination-Number', this.destination],
      ['Caller-Unique-ID', this.uuid],
      ['Caller-Source', 'mod_sofia'],
      ['Caller-Context', i.context],
      ['Caller-Channel-Name', this.name],
      ['Caller-Profile-Index', '1'],
      ['Caller-Profile-Created-Time', String(this.createdMicros)],
      ['Caller-Channel-Created-Time', String(this.createdMicros)],
      ['Caller-Channel-Answered-Time', String(this.answeredMicros)],
      ['Caller-Channel-Progress-Time', '0'],
      ['Caller-Channel-Progress-Media-Time', '0'],
      ['Caller-Channel-Hangup-Time', this.hungup ? String(Date.now() * 1000) : '0'],
      ['Caller-Channel-Transfer-Time', '0'],
      ['Caller-Channel-Resurrect-Time', '0'],
      ['Caller-Channel-Bridged-Time', '0'],
      ['Caller-Channel-Last-Hold', '0'],
      ['Caller-Channel-Hold-Accum', '0'],
      ['Caller-Screen-Bit', 'true'],
      ['Caller-Privacy-Hide-Name', 'false'],
      ['Caller-Privacy-Hide-Number', 'false'],
      ['variable_session_id', String(this.createdMicros % 100000)],
      ['variable_sip_from_user', i.callerNumber],
      ['variable_sip_from_uri', `${i.callerNumber}@198.51.100.7`],
      ['variable_sip_from_host', '198.51.100.7'],
      ['variable_channel_name', this.name],
      ['variable_sip_call_id', `${this.uuid.slice(0, 18)}@198.51.100.7`],
      ['variable_sip_local_network_addr', '198.51.100.2'],
      ['variable_sip_network_ip', '198.51.100.7'],
      ['variable_sip_network_port', '5060'],
      ['variable_sip_received_ip', '198.51.100.7'],
      ['variable_sip_received_port', '5060'],
      ['variable_sip_via_protocol', 'udp'],
      ['variable_sip_req_user', i.destination],
      ['variable_sip_req_uri', `${i.destination}@198.51.100.2`],
      ['variable_sip_to_user', i.destination],
      ['variable_sip_to_uri', `${i.destination}@198.51.100.2`],
      ['variable_sip_user_agent', 'Test PBX 1.0'],
      ['variable_max_forwards', '69'],
      ['variable_sofia_profile_name', this.profile],
      ['variable_rtp_use_codec_string', 'PCMA,PCMU,G722'],
      ['variable_read_codec', 'PCMA'],
      ['variable_write_codec', 'PCMA'],
      ['variable_endpoint_disposition', this.answeredMicros ? 'ANSWER' : 'RECEIVED'],
    ];
    for (const [name, value] of this.variables) headers.push([`variable_${name}`, value]);
    return headers;
  }
}
