import net from 'node:net';
import { type CollectRequest, DigitQueue, type OriginateHandler, type SimCall, planOf } from './sim-call.js';

export type AmiFields = Array<[string, string]>;

export interface TestAmiServerOptions {
  username?: string;
  secret?: string;
  /** The banner: `Asterisk Call Manager/<version>`. */
  version?: string;
  /** Asterisk hangs up a session after a failed Login; set false to keep it open (some proxies do). */
  closeOnAuthFailure?: boolean;
  agents?: string[];
  /** The dialplan contexts the service redirects into (as in telephony/asterisk/conf). */
  contexts?: { read?: string; play?: string; agent?: string; queue?: string; callback?: string };
  /** RECORD_CALLS=true with this CG_RECORDINGS_DIR: hotline calls are recorded as cg-record does. */
  recordingsDir?: string;
}

interface Client {
  socket: net.Socket;
  loggedIn: boolean;
  input: string;
  pending: string;
  scheduled: boolean;
}

const CAUSES: Record<string, [number, string]> = {
  NORMAL_CLEARING: [16, 'Normal Clearing'],
  USER_BUSY: [17, 'User busy'],
  NO_USER_RESPONSE: [18, 'No user responding'],
  NO_ANSWER: [19, 'User alerting, no answer'],
  CALL_REJECTED: [21, 'Call Rejected'],
  NORMAL_CIRCUIT_CONGESTION: [34, 'Circuit/channel congestion'],
};

const STATE_DESC: Record<number, string> = { 0: 'Down', 4: 'Ring', 5: 'Ringing', 6: 'Up' };

/** DialBegin/DialEnd's fields for the channel being dialled. */
function dialFields(b: AmiChannel, number: string, dialString: string): AmiFields {
  return [
    ['DestChannel', b.name],
    ['DestChannelState', '0'],
    ['DestChannelStateDesc', 'Down'],
    ['DestCallerIDNum', number],
    ['DestUniqueid', b.id],
    ['DestLinkedid', b.linkedid],
    ['DialString', dialString],
  ];
}

export function amiPacket(fields: AmiFields): string {
  return fields.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
}

class AmiChannel implements SimCall {
  readonly prompts: string[] = [];
  pressed = '';
  state = 0;
  hungup = false;
  context: string;
  exten: string;
  priority = 1;
  bridgeId: string | null = null;
  peer: AmiChannel | null = null;
  /** cg_called, which manager.conf's channelvars puts on every channel event (extensions_cg.conf sets it). */
  called = '';
  monitor: string | null = null;
  readonly variables = new Map<string, string>();
  readonly keypad = new DigitQueue();
  collector: ((request: CollectRequest) => string | null | undefined) | null = null;
  /** Bumped by every Redirect: an application from an earlier context stops reporting. */
  runToken = 0;
  readonly createdAt = Date.now();
  readonly ended: Promise<{ cause: string }>;
  private settleEnded!: (value: { cause: string }) => void;

  constructor(
    private readonly server: TestAmiServer,
    readonly id: string,
    readonly linkedid: string,
    public name: string,
    public callerNum: string,
    public callerName: string,
    exten: string,
    context: string,
  ) {
    this.exten = exten;
    this.context = context;
    this.ended = new Promise((resolve) => (this.settleEnded = resolve));
  }

  get uniqueid(): string {
    return this.id;
  }

  isUp(): boolean {
    return !this.hungup;
  }

  isAnswered(): boolean {
    return this.state === 6;
  }

  onCollect(handler: (request: CollectRequest) => string | null | undefined): void {
    this.collector = handler;
  }

  fields(): AmiFields {
    return [
      ['Channel', this.name],
      ['ChannelState', String(this.state)],
      ['ChannelStateDesc', STATE_DESC[this.state] ?? 'Unknown'],
      ['CallerIDNum', this.callerNum || '<unknown>'],
      ['CallerIDName', this.callerName || '<unknown>'],
      ['ConnectedLineNum', '<unknown>'],
      ['ConnectedLineName', '<unknown>'],
      ['Language', 'zh'],
      ['AccountCode', ''],
      ['Context', this.context],
      ['Exten', this.exten],
      ['Priority', String(this.priority)],
      ['Uniqueid', this.id],
      ['Linkedid', this.linkedid],
      ...(this.called ? ([['ChanVariable', `cg_called=${this.called}`]] as AmiFields) : []),
    ];
  }

  event(name: string, extra: AmiFields = [], file = 'manager_channels.c'): void {
    this.server.broadcast([
      ['Event', name],
      ['Privilege', name === 'VarSet' ? 'dialplan,all' : 'call,all'],
      ['SequenceNumber', String(this.server.nextSequence())],
      ['File', file],
      ['Line', '734'],
      ['Func', 'channel_snapshot_update'],
      ...this.fields(),
      ...extra,
    ]);
  }

  setState(state: number): void {
    if (this.state === state || this.hungup) return;
    this.state = state;
    this.event('Newstate');
  }

  setVar(name: string, value: string): void {
    this.variables.set(name, value);
    this.event(
      'VarSet',
      [
        ['Variable', name],
        ['Value', value],
      ],
      'manager.c',
    );
  }

  answer(): void {
    this.setState(6);
  }

  pressDigits(digits: string): void {
    for (const digit of digits) {
      if (this.hungup) return;
      this.pressed += digit;
      this.event('DTMFBegin', [
        ['Digit', digit],
        ['Direction', 'Received'],
      ]);
      this.event('DTMFEnd', [
        ['Digit', digit],
        ['DurationMs', '120'],
        ['Direction', 'Received'],
      ]);
      this.keypad.push(digit);
    }
  }

  bridgeToAgent(extension: string, agentId?: string): void {
    this.server.bridge(this, extension, agentId);
  }

  hangup(cause = 'NORMAL_CLEARING'): void {
    if (this.hungup) return;
    this.hungup = true;
    this.runToken++;
    this.keypad.close();
    // as app_mixmonitor: MixMonitorStop only for StopMixMonitor, never when the channel hangs up
    this.monitor = null;
    if (this.bridgeId) {
      this.event('BridgeLeave', this.server.bridgeFields(this.bridgeId, 1));
      this.bridgeId = null;
    }
    const [code, text] = CAUSES[cause] ?? [16, 'Normal Clearing'];
    this.event('HangupRequest', [['Cause', String(code)]]);
    this.event('Hangup', [
      ['Cause', String(code)],
      ['Cause-txt', text],
    ]);
    this.server.remove(this);
    this.settleEnded({ cause });
    const peer = this.peer;
    this.peer = null;
    if (peer && !peer.hungup) peer.hangup(cause);
  }
}

/**
 * An Asterisk Manager Interface on 127.0.0.1 speaking the real protocol: the banner,
 * Login success/failure, responses matched by ActionID, events interleaved at any
 * time. Writes made in one tick leave in one TCP write, as a busy manager session's
 * do, so events can share a read with the Login response. The service's dialplan
 * contexts (cg-read, cg-play, cg-agent, cg-queue) are simulated. No adapter code here.
 */
export class TestAmiServer {
  readonly channels = new Map<string, AmiChannel>();
  /** Every action a client sent (Action header), for assertions. */
  readonly actions: string[] = [];
  /** Every TCP write, per connection order: to show what shared a read. */
  readonly writes: string[] = [];
  private readonly server: net.Server;
  private readonly clients = new Set<Client>();
  private readonly loginHooks: Array<() => void> = [];
  private originateHandler: OriginateHandler = () => 'answer';
  private sequence = 7000;
  private channelCounter = 0;
  private uniqueCounter = 0;
  private bridgeCounter = 0;
  private nextAgent = 0;
  private listening = false;
  private readonly contexts: { read: string; play: string; agent: string; queue: string; callback: string };

  constructor(private readonly options: TestAmiServerOptions = {}) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.contexts = {
      read: 'cg-read',
      play: 'cg-play',
      agent: 'cg-agent',
      queue: 'cg-queue',
      callback: 'cg-callback',
      ...options.contexts,
    };
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.listening = true;
    return this.port;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.socket.destroy();
    if (this.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.listening = false;
  }

  onOriginate(handler: OriginateHandler): void {
    this.originateHandler = handler;
  }

  /** Runs right after a successful Login response is queued: whatever it does leaves in the same TCP write. */
  onLogin(hook: () => void): void {
    this.loginHooks.push(hook);
  }

  cutConnections(): void {
    for (const client of this.clients) client.socket.destroy();
  }

  /** Sends packets to logged-in clients, one TCP write each. */
  async replay(packets: string[]): Promise<void> {
    for (const packet of packets) {
      for (const client of this.clients) if (client.loggedIn) client.socket.write(packet);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /**
   * As on a real Asterisk with Local channels or caller-ID normalisation in the dialplan,
   * the channel has no number at Newchannel: NewCallerid sets it right after.
   */
  simulateInboundCall(call: { from: string; to: string; callerName?: string; answer?: boolean }): SimCall {
    const id = this.newUniqueid();
    const channel = new AmiChannel(this, id, id, this.channelName(call.from), '', '', call.to, 'cg-hotline');
    this.channels.set(id, channel);
    channel.event('Newchannel');
    channel.callerNum = call.from;
    channel.callerName = call.callerName ?? '';
    channel.event('NewCallerid', [['CID-CallingPres', '0 (Presentation Allowed, Not Screened)']]);
    channel.called = call.to;
    channel.setState(4);
    if (call.answer !== false) {
      channel.answer();
      // extensions_cg.conf's cg-record: MixMonitor to <dir>/<uniqueid>.wav, named in cg_recording
      if (this.options.recordingsDir) channel.setVar('cg_recording', `${this.options.recordingsDir}/${id}.wav`);
    }
    return channel;
  }

  get liveCalls(): SimCall[] {
    return [...this.channels.values()].filter((c) => c.id === c.linkedid);
  }

  nextSequence(): number {
    return ++this.sequence;
  }

  broadcast(fields: AmiFields): void {
    const packet = amiPacket(fields);
    for (const client of this.clients) if (client.loggedIn) this.send(client, packet);
  }

  remove(channel: AmiChannel): void {
    this.channels.delete(channel.id);
  }

  bridgeFields(bridgeId: string, count: number): AmiFields {
    return [
      ['BridgeUniqueid', bridgeId],
      ['BridgeType', 'basic'],
      ['BridgeTechnology', 'simple_bridge'],
      ['BridgeCreator', '<unknown>'],
      ['BridgeName', '<unknown>'],
      ['BridgeNumChannels', String(count)],
    ];
  }

  bridge(a: AmiChannel, extension: string, agentId?: string): void {
    if (a.hungup) return;
    const id = this.newUniqueid();
    const b = new AmiChannel(
      this,
      id,
      a.linkedid,
      `PJSIP/${extension}-${this.counter()}`,
      a.callerNum,
      a.callerName,
      extension,
      'cg-agent',
    );
    this.channels.set(id, b);
    b.event('Newchannel');
    const dial = dialFields(b, extension, `PJSIP/${extension}`);
    a.event('DialBegin', dial);
    b.setState(5);
    b.answer();
    a.event('DialEnd', [...dial, ['DialStatus', 'ANSWER']]);
    if (agentId) b.setVar('MEMBERNAME', agentId);
    this.enterBridge(a, b);
  }

  /** Two answered channels join one basic bridge. */
  private enterBridge(a: AmiChannel, b: AmiChannel): void {
    const bridgeId = `bridge-${++this.bridgeCounter}`;
    a.bridgeId = bridgeId;
    a.event('BridgeEnter', this.bridgeFields(bridgeId, 1));
    b.bridgeId = bridgeId;
    b.event('BridgeEnter', this.bridgeFields(bridgeId, 2));
    a.peer = b;
    b.peer = a;
  }

  // ---- protocol ----

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const client: Client = { socket, loggedIn: false, input: '', pending: '', scheduled: false };
    this.clients.add(client);
    socket.on('data', (data) => this.read(client, data));
    socket.on('error', () => {});
    socket.on('close', () => this.clients.delete(client));
    this.send(client, `Asterisk Call Manager/${this.options.version ?? '5.0.1'}\r\n`);
  }

  /** Everything sent in one tick leaves in one write. */
  private send(client: Client, text: string): void {
    client.pending += text;
    if (client.scheduled) return;
    client.scheduled = true;
    setImmediate(() => {
      client.scheduled = false;
      const out = client.pending;
      client.pending = '';
      if (!out || client.socket.destroyed) return;
      this.writes.push(out);
      client.socket.write(out);
    });
  }

  private read(client: Client, data: Buffer): void {
    client.input += data.toString('utf8');
    for (;;) {
      const end = client.input.indexOf('\r\n\r\n');
      if (end < 0) return;
      const block = client.input.slice(0, end);
      client.input = client.input.slice(end + 4);
      const fields = new Map<string, string>();
      const multi: Array<[string, string]> = [];
      for (const line of block.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const key = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        fields.set(key, value);
        multi.push([key, value]);
      }
      if (fields.size) this.action(client, fields, multi);
    }
  }

  private respond(client: Client, id: string | undefined, fields: AmiFields): void {
    const response = fields[0];
    this.send(
      client,
      amiPacket([response, ...(id !== undefined ? [['ActionID', id] as [string, string]] : []), ...fields.slice(1)]),
    );
  }

  private action(client: Client, f: Map<string, string>, multi: Array<[string, string]>): void {
    const action = (f.get('action') ?? '').toLowerCase();
    const id = f.get('actionid');
    this.actions.push(f.get('action') ?? '');
    const ok = (message: string, extra: AmiFields = []) =>
      this.respond(client, id, [['Response', 'Success'], ['Message', message], ...extra]);
    const error = (message: string) =>
      this.respond(client, id, [
        ['Response', 'Error'],
        ['Message', message],
      ]);
    if (action === 'login') return this.login(client, f, id);
    if (action === 'logoff') {
      this.respond(client, id, [
        ['Response', 'Goodbye'],
        ['Message', 'Thanks for all the fish.'],
      ]);
      setImmediate(() => setImmediate(() => client.socket.end()));
      return;
    }
    if (!client.loggedIn) return error('Permission denied');
    const channel = this.byName(f.get('channel'));
    switch (action) {
      case 'ping':
        return this.respond(client, id, [
          ['Response', 'Success'],
          ['Ping', 'Pong'],
          ['Timestamp', (Date.now() / 1000).toFixed(6)],
        ]);
      case 'events':
        return ok('Events on');
      case 'coreshowchannels':
        return this.coreShowChannels(client, id);
      case 'originate':
        ok('Originate successfully queued');
        void this.originate(f, multi, id);
        return;
      case 'setvar':
        if (!channel) return error('No such channel');
        channel.setVar(f.get('variable') ?? '', f.get('value') ?? '');
        return ok('Variable Set');
      case 'redirect':
        if (!channel) return error('No such channel');
        ok('Redirect successful');
        setImmediate(() => this.dialplan(channel, f.get('context') ?? '', f.get('exten') ?? 's'));
        return;
      case 'hangup': {
        if (!channel) return error('No such channel');
        const code = Number(f.get('cause') ?? 16);
        const cause = Object.entries(CAUSES).find(([, [c]]) => c === code)?.[0] ?? 'NORMAL_CLEARING';
        ok('Channel Hungup');
        setImmediate(() => channel.hangup(cause));
        return;
      }
      case 'mixmonitor':
        if (!channel) return error('No such channel');
        channel.monitor = f.get('file') ?? '';
        ok('');
        setImmediate(() => channel.event('MixMonitorStart'));
        return;
      case 'stopmixmonitor':
        if (!channel) return error('No such channel');
        ok('');
        if (channel.monitor !== null) {
          channel.monitor = null;
          setImmediate(() => channel.event('MixMonitorStop'));
        }
        return;
      default:
        return error('Invalid/unknown command');
    }
  }

  private login(client: Client, f: Map<string, string>, id: string | undefined): void {
    const good =
      f.get('username') === (this.options.username ?? 'admin') && f.get('secret') === (this.options.secret ?? 'amp111');
    if (!good) {
      this.respond(client, id, [
        ['Response', 'Error'],
        ['Message', 'Authentication failed'],
      ]);
      if (this.options.closeOnAuthFailure !== false) setImmediate(() => setImmediate(() => client.socket.end()));
      return;
    }
    client.loggedIn = true;
    this.respond(client, id, [
      ['Response', 'Success'],
      ['Message', 'Authentication accepted'],
    ]);
    this.send(
      client,
      amiPacket([
        ['Event', 'FullyBooted'],
        ['Privilege', 'system,all'],
        ['Uptime', '3600'],
        ['LastReload', '3600'],
        ['Status', 'Fully Booted'],
      ]),
    );
    for (const hook of this.loginHooks) hook();
  }

  private coreShowChannels(client: Client, id: string | undefined): void {
    this.respond(client, id, [
      ['Response', 'Success'],
      ['EventList', 'start'],
      ['Message', 'Channels will follow'],
    ]);
    const list = [...this.channels.values()];
    for (const c of list) {
      const seconds = Math.floor((Date.now() - c.createdAt) / 1000);
      const duration = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
        .map((n) => String(n).padStart(2, '0'))
        .join(':');
      this.send(
        client,
        amiPacket([
          ['Event', 'CoreShowChannel'],
          ['ActionID', id ?? ''],
          ...c.fields(),
          ['Application', c.bridgeId ? 'Dial' : 'Wait'],
          ['ApplicationData', ''],
          ['Duration', duration],
          ['BridgeId', c.bridgeId ?? ''],
        ]),
      );
    }
    this.send(
      client,
      amiPacket([
        ['Event', 'CoreShowChannelsComplete'],
        ['ActionID', id ?? ''],
        ['EventList', 'Complete'],
        ['ListItems', String(list.length)],
      ]),
    );
  }

  private async originate(
    f: Map<string, string>,
    multi: Array<[string, string]>,
    actionId: string | undefined,
  ): Promise<void> {
    const dial = f.get('channel') ?? '';
    const destination = dial.split('/').pop()!.split('@')[0];
    const callerId = /<([^>]*)>/.exec(f.get('callerid') ?? '')?.[1] ?? f.get('callerid') ?? '';
    const variables: Record<string, string> = {};
    for (const [key, value] of multi) {
      if (key !== 'variable') continue;
      for (const part of value.split(',')) {
        const eq = part.indexOf('=');
        if (eq > 0) variables[part.slice(0, eq)] = part.slice(eq + 1);
      }
    }
    const id = f.get('channelid') || this.newUniqueid();
    const plan = planOf(await this.originateHandler({ callId: id, destination, callerId, variables }));
    const respond = (success: boolean, reason: number, uniqueid: string) =>
      this.broadcast([
        ['Event', 'OriginateResponse'],
        ['Privilege', 'call,all'],
        ['ActionID', actionId ?? ''],
        ['Response', success ? 'Success' : 'Failure'],
        ['Channel', dial],
        ['Context', f.get('context') ?? ''],
        ['Exten', f.get('exten') ?? ''],
        ['Reason', String(reason)],
        ['Uniqueid', uniqueid],
        ['CallerIDNum', callerId],
        ['CallerIDName', callerId],
      ]);
    if (plan.outcome === 'fail') {
      respond(false, 0, '<null>');
      return;
    }
    // Local/<exten>@<context>: the ;1 half carries our ChannelId and runs Context/Exten once answered
    const local = /^Local\/([^@]+)@([^/]+)/.exec(dial);
    const channel = new AmiChannel(
      this,
      id,
      id,
      local ? `Local/${local[1]}@${local[2]}-${this.counter()};1` : this.channelName(destination),
      callerId,
      callerId,
      f.get('exten') ?? 's',
      f.get('context') ?? '',
    );
    this.channels.set(id, channel);
    channel.event('Newchannel');
    for (const [name, value] of Object.entries(variables)) channel.setVar(name, value);
    channel.setState(5);
    if (plan.ringMs) await new Promise((resolve) => setTimeout(resolve, plan.ringMs));
    if (plan.outcome === 'answer') {
      channel.answer();
      respond(true, 4, id);
      plan.onAnswered?.(channel);
      if (f.get('context') === this.contexts.callback)
        setImmediate(() => void this.callback(channel, f.get('exten') ?? ''));
      return;
    }
    const [cause, reason] =
      // a busy destination hangs up with Cause 0 (none given): Reason 5 on the originate says busy
      ({ busy: ['UNSPECIFIED', 5], no_answer: ['NO_ANSWER', 3], reject: ['CALL_REJECTED', 1] } as const)[plan.outcome];
    channel.hangup(cause);
    respond(false, reason, id);
  }

  /** The service's contexts, as telephony/asterisk/conf/extensions_cg.conf defines them. */
  private async dialplan(channel: AmiChannel, context: string, exten: string): Promise<void> {
    if (channel.hungup) return;
    const token = ++channel.runToken;
    channel.context = context;
    channel.exten = exten;
    channel.priority = 1;
    const newexten = (app: string, data: string) =>
      channel.event('Newexten', [
        ['Extension', exten],
        ['Application', app],
        ['AppData', data],
      ]);
    // our own completion signal (extensions_cg.conf): UserEvent(CgStepDone,Tag: ..,Status: ..[,Digits: ..])
    const done = (tag: string, status: string, digits?: string) =>
      channel.event('UserEvent', [
        ['UserEvent', 'CgStepDone'],
        ['Tag', tag],
        ['Status', status],
        ...(digits === undefined ? [] : ([['Digits', digits]] as AmiFields)),
      ]);
    if (context === this.contexts.play) {
      const [file = '', tag = ''] = (channel.variables.get('CG_PLAY') ?? '').split('|');
      newexten('Playback', file);
      channel.prompts.push(file);
      channel.setVar('PLAYBACKSTATUS', 'SUCCESS');
      done(tag, 'SUCCESS');
      return;
    }
    if (context === this.contexts.read) {
      const [file = '', max = '1', timeout = '5', tag = ''] = (channel.variables.get('CG_READ') ?? '').split('|');
      channel.setVar('CG_DIGITS', '');
      newexten('Read', `CG_DIGITS,${file},${max},,1,${timeout}`);
      // Read() sets READSTATUS=ERROR as soon as it starts; the real status comes at its end.
      channel.setVar('READSTATUS', 'ERROR');
      channel.prompts.push(file);
      const attempt = channel.prompts.filter((p) => p === file).length;
      const answer = channel.collector?.({ prompt: file, attempt, maxDigits: Number(max) });
      if (answer === 'hangup') setImmediate(() => channel.hangup('NORMAL_CLEARING'));
      else if (answer) setImmediate(() => channel.pressDigits(answer));
      const ms = Number(timeout) * 1000;
      const got = await channel.keypad.collect(Number(max), ms, ms, '#');
      if (channel.hungup) return;
      // redirected away mid-Read: it ends as HANGUP and the dialplan after it never runs
      if (token !== channel.runToken) return channel.setVar('READSTATUS', 'HANGUP');
      channel.setVar('CG_DIGITS', got.digits);
      channel.setVar('READSTATUS', got.timedOut ? 'TIMEOUT' : 'OK');
      done(tag, got.timedOut ? 'TIMEOUT' : 'OK', got.digits);
      return;
    }
    if (context === this.contexts.callback) return this.callback(channel, exten);
    if (context === this.contexts.agent) return channel.bridgeToAgent(exten);
    if (context === this.contexts.queue) {
      const agents = this.options.agents ?? ['1001'];
      const agent = agents[this.nextAgent++ % agents.length];
      channel.bridgeToAgent(agent, `Agent/${agent}`);
    }
  }

  /**
   * cg-callback (click-to-call): the agent has answered; Dial(${CG_CALLBACK_DIAL},${CG_CALLBACK_RING})
   * rings the citizen with the hotline's caller id and bridges them, or hangs the agent up.
   */
  private async callback(a: AmiChannel, exten: string): Promise<void> {
    const dialString = a.variables.get('CG_CALLBACK_DIAL') ?? '';
    a.setVar('cg_purpose', 'callback');
    a.called = exten;
    a.setVar('cg_called', exten);
    a.event('Newexten', [
      ['Extension', exten],
      ['Application', 'Dial'],
      ['AppData', `${dialString},${a.variables.get('CG_CALLBACK_RING') ?? ''}`],
    ]);
    const destination = dialString.split('/').pop()!.split('@')[0];
    const id = this.newUniqueid();
    const b = new AmiChannel(
      this,
      id,
      a.linkedid,
      this.channelName(destination),
      a.callerNum,
      a.callerName,
      destination,
      '',
    );
    this.channels.set(id, b);
    b.event('Newchannel');
    const dial = dialFields(b, destination, dialString);
    a.event('DialBegin', dial);
    b.setState(5);
    const plan = planOf(await this.originateHandler({ callId: id, destination, callerId: a.callerNum, variables: {} }));
    if (plan.ringMs) await new Promise((resolve) => setTimeout(resolve, plan.ringMs));
    if (a.hungup) return b.hangup('ORIGINATOR_CANCEL');
    if (plan.outcome !== 'answer') {
      const [cause, status] = (
        {
          busy: ['USER_BUSY', 'BUSY'],
          no_answer: ['NO_ANSWER', 'NOANSWER'],
          reject: ['CALL_REJECTED', 'CONGESTION'],
          fail: ['UNALLOCATED_NUMBER', 'CHANUNAVAIL'],
        } as const
      )[plan.outcome];
      b.hangup(cause);
      a.event('DialEnd', [...dial, ['DialStatus', status]]);
      return a.hangup(cause);
    }
    b.answer();
    a.event('DialEnd', [...dial, ['DialStatus', 'ANSWER']]);
    this.enterBridge(a, b);
    plan.onAnswered?.(b);
  }

  private byName(name: string | undefined): AmiChannel | undefined {
    if (!name) return undefined;
    for (const channel of this.channels.values()) if (channel.name === name) return channel;
    return undefined;
  }

  private counter(): string {
    return (++this.channelCounter).toString(16).padStart(8, '0');
  }

  private channelName(number: string): string {
    return `PJSIP/trunk-${this.counter()}`.replace('trunk', number ? `trunk_${number.slice(-4)}` : 'trunk');
  }

  private newUniqueid(): string {
    return `${Math.floor(Date.now() / 1000)}.${++this.uniqueCounter}`;
  }
}
