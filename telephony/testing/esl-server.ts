import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { EslChannel, type EslChannelHost } from './esl-channel.js';
import { type Header, apiResponse, commandReply, disconnectNotice, eventJson, eventPlain } from './esl-wire.js';
import { type OriginateHandler, type SimCall, planOf } from './sim-call.js';
import { type SipProfileMedia, readSipProfiles, shippedSipProfilesDir } from './sip-profiles.js';

export interface TestEslServerOptions {
  password?: string;
  /** Write every frame in slices of this many bytes, each slice a separate write on a later tick. */
  chunkSize?: number;
  /** Extensions the agent queue hands calls to, in turn. */
  agents?: string[];
  /** The dialplan contexts a uuid_transfer can target (as in telephony/freeswitch/conf). */
  agentContext?: string;
  queueContext?: string;
  /** Keep a copy of every byte written to clients (the bench replays it through modesl's parser). */
  recordWire?: boolean;
  /** Replay mode: each connection gets exactly these bytes (one write per element), and input is ignored. */
  script?: Buffer[];
  /**
   * The user part of each agent phone's SIP Contact, which FreeSWITCH reports as the
   * bridge's Other-Leg-Destination-Number. Softphones and gateways register Contacts that
   * are not their extension (`gw+agent8001`), so by default it is not.
   */
  contactOf?: (extension: string) => string;
  /** Files `file_exists` finds (prompt checks); by default every file exists. */
  fileExists?: (path: string) => boolean;
  /** Modules `module_exists` finds; by default every module. */
  modules?: string[];
  /**
   * The sofia profiles calls run on, read as FreeSWITCH reads them: by default the ones we
   * ship (telephony/freeswitch/conf/sip_profiles). A profile without a media clock
   * (`rtp-timer-name`) paces prompts by the audio coming in, so on a silent leg they do
   * not finish (see SipProfileMedia).
   */
  sipProfilesDir?: string;
  /** The profile gateways (sofia/gateway/<name>/...) belong to; `external`, where ours are defined. */
  gatewayProfile?: string;
}

interface Client {
  socket: net.Socket;
  authed: boolean;
  format: 'plain' | 'json';
  all: boolean;
  events: Set<string>;
  input: Buffer;
  output: Buffer[];
  flushing: boolean;
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  const pattern = /'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) args.push(match[1] ?? match[2]);
  return args;
}

/** Splits originate's {a=1,b=x\,y} on commas that are not escaped. */
function parseVariables(list: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const part of list.split(/(?<!\\),/)) {
    const eq = part.indexOf('=');
    if (eq > 0) variables[part.slice(0, eq)] = part.slice(eq + 1).replace(/\\,/g, ',');
  }
  return variables;
}

/**
 * A FreeSWITCH event socket (inbound mode) on 127.0.0.1 that speaks the real protocol:
 * auth/request, api and bgapi (with BACKGROUND_JOB), event subscriptions and their
 * filtering, URL-encoded event-plain, sendmsg execute with CHANNEL_EXECUTE_COMPLETE,
 * disconnect notices. Calls are simulated through a programmatic API. No adapter code here.
 */
export class TestEslServer implements EslChannelHost {
  readonly hostname = 'fs-test';
  readonly coreUuid = randomUUID();
  readonly channels = new Map<string, EslChannel>();
  readonly wire: Buffer[] = [];
  /** Every command a client sent, first line only (for assertions). */
  readonly commands: string[] = [];
  private readonly server: net.Server;
  private readonly clients = new Set<Client>();
  private sequence = 1000;
  private password: string;
  private originateHandler: OriginateHandler = () => 'answer';
  private nextAgent = 0;
  private listening = false;
  /** A hung FreeSWITCH: commands are read but never answered. */
  silent = false;
  /** sched_transfer tasks per channel (the hotline's fall-back to the queue), as `+<seconds> <dest> <dialplan> <context>`. */
  readonly scheduled = new Map<string, string>();

  /** The sofia profiles, by name, as read from sipProfilesDir. */
  readonly profiles: Map<string, SipProfileMedia>;

  constructor(private readonly options: TestEslServerOptions = {}) {
    this.password = options.password ?? 'ClueCon';
    this.profiles = readSipProfiles(options.sipProfilesDir ?? shippedSipProfilesDir);
    this.server = net.createServer((socket) => this.accept(socket));
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

  /** How many times a client listed the channels (`show channels as json`): what a resync after a (re)connect asks first. */

  channelListings = 0;

  get authedClientCount(): number {
    return [...this.clients].filter((c) => c.authed).length;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.socket.destroy();
    if (this.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.listening = false;
  }

  setPassword(password: string): void {
    this.password = password;
  }

  onOriginate(handler: OriginateHandler): void {
    this.originateHandler = handler;
  }

  /** A network cut: sockets die with no goodbye. */
  cutConnections(): void {
    for (const client of this.clients) client.socket.destroy();
  }

  /** FreeSWITCH shutting down: a text/disconnect-notice, then the socket closes. */
  sendDisconnectNotice(): void {
    for (const client of this.clients) {
      this.write(client, disconnectNotice());
      this.endAfterFlush(client);
    }
  }

  /** Writes raw bytes to every authenticated client, one write per element, each on its own tick. */
  async replay(reads: Buffer[]): Promise<void> {
    for (const read of reads) {
      for (const client of this.clients) if (client.authed) client.socket.write(read);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private async play(socket: net.Socket, reads: Buffer[]): Promise<void> {
    for (const read of reads) {
      if (socket.destroyed) return;
      socket.write(read);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** A call arriving at the hotline: CHANNEL_CREATE now, answered (as the dialplan does) unless told otherwise. */
  simulateInboundCall(call: {
    from: string;
    to: string;
    callerName?: string;
    answer?: boolean;
    /** The trunk's profile; `external` by default. */
    profile?: string;
    /** The caller's side sends no RTP (silence suppression). */
    silent?: boolean;
  }): SimCall {
    const profile = call.profile ?? 'external';
    if (!this.profiles.has(profile)) throw new Error(`no SIP profile ${profile} in the configuration`);
    const channel = new EslChannel(this, {
      direction: 'inbound',
      callerNumber: call.from,
      callerName: call.callerName,
      destination: call.to,
      context: 'public',
      profile,
      silent: call.silent,
    });
    this.channels.set(channel.uuid, channel);
    channel.create();
    if (call.answer !== false) channel.answer();
    return channel;
  }

  get liveCalls(): SimCall[] {
    return [...this.channels.values()].filter((c) => c.init.callUuid === undefined || c.init.callUuid === c.uuid);
  }

  // ---- EslChannelHost ----

  nextSequence(): number {
    return ++this.sequence;
  }

  emit(name: string, headers: Header[], body?: string): void {
    let plain: Buffer | undefined;
    let json: Buffer | undefined;
    const subclass = name === 'CUSTOM' ? headers.find(([key]) => key === 'Event-Subclass')?.[1] : undefined;
    for (const client of this.clients) {
      const wanted = subclass ? client.events.has('CUSTOM') && client.events.has(subclass) : client.events.has(name);
      if (!client.authed || !(client.all || wanted)) continue;
      if (client.format === 'json') this.write(client, (json ??= eventJson(headers, body)));
      else this.write(client, (plain ??= eventPlain(headers, body)));
    }
  }

  remove(channel: EslChannel): void {
    this.channels.delete(channel.uuid);
  }

  /**
   * With an agentId the caller was queued (mod_callcenter): as in FreeSWITCH, its
   * CHANNEL_BRIDGE carries cc_queue but no cc_agent, and the agent is named by the
   * CUSTOM callcenter::info bridge-agent-start that follows. Without, our cg_agents
   * dialplan bridged one agent and set cg_agent. Either way the bridge's
   * Other-Leg-Destination-Number is the phone's Contact, not its extension.
   */
  bridge(a: EslChannel, extension: string, agentId?: string): void {
    if (a.hungup) return;
    const contact = (this.options.contactOf ?? ((ext: string) => `gw+agent${ext}`))(extension);
    const b = new EslChannel(this, {
      direction: 'outbound',
      callerNumber: a.init.callerNumber,
      callerName: a.init.callerName,
      destination: contact,
      context: 'default',
      callUuid: a.uuid,
      variables: agentId ? { cc_queue: 'hotline@default', cc_member_session_uuid: a.uuid } : {},
    });
    this.channels.set(b.uuid, b);
    b.create();
    b.answer();
    a.bridgedTo = b;
    b.bridgedTo = a;
    if (agentId) a.variables.set('cc_queue', 'hotline@default');
    else a.variables.set('cg_agent', extension);
    a.emit('CHANNEL_BRIDGE', 'CS_EXCHANGE_MEDIA', 'ACTIVE', [
      ['Bridge-A-Unique-ID', a.uuid],
      ['Bridge-B-Unique-ID', b.uuid],
      ['Other-Type', 'originatee'],
      ['Other-Leg-Direction', 'outbound'],
      ['Other-Leg-Caller-ID-Name', a.init.callerName ?? a.init.callerNumber],
      ['Other-Leg-Caller-ID-Number', a.init.callerNumber],
      ['Other-Leg-Destination-Number', contact],
      ['Other-Leg-Unique-ID', b.uuid],
      ['Other-Leg-Channel-Name', `sofia/internal/${contact}@198.51.100.20`],
    ]);
    if (!agentId) return;
    // mod_callcenter fills this event with the agent leg's channel data, then its own headers.
    b.emit('CUSTOM', 'CS_EXCHANGE_MEDIA', 'ACTIVE', [
      ['Event-Subclass', 'callcenter::info'],
      ['CC-Queue', 'hotline@default'],
      ['CC-Action', 'bridge-agent-start'],
      ['CC-Agent', agentId],
      ['CC-Agent-System', 'single_box'],
      ['CC-Agent-UUID', b.uuid],
      ['CC-Agent-Called-Time', String(Math.floor(Date.now() / 1000))],
      ['CC-Agent-Answered-Time', String(Math.floor(Date.now() / 1000))],
      ['CC-Member-Joined-Time', String(Math.floor(Date.now() / 1000))],
      ['CC-Member-UUID', randomUUID()],
      ['CC-Member-Session-UUID', a.uuid],
      ['CC-Member-CID-Name', a.init.callerName ?? a.init.callerNumber],
      ['CC-Member-CID-Number', a.init.callerNumber],
      ['CC-Member-DNIS', a.init.destination],
    ]);
  }

  // ---- protocol ----

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const client: Client = {
      socket,
      authed: false,
      format: 'plain',
      all: false,
      events: new Set(),
      input: Buffer.alloc(0),
      output: [],
      flushing: false,
    };
    this.clients.add(client);
    socket.on('error', () => {});
    socket.on('close', () => this.clients.delete(client));
    if (this.options.script) {
      void this.play(socket, this.options.script);
      return;
    }
    socket.on('data', (data) => this.read(client, data));
    this.write(client, Buffer.from('Content-Type: auth/request\n\n'));
  }

  private read(client: Client, data: Buffer): void {
    client.input = Buffer.concat([client.input, data]);
    for (;;) {
      const end = client.input.indexOf('\n\n');
      if (end < 0) return;
      const lines = client.input.subarray(0, end).toString('utf8').replace(/\r/g, '').split('\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['Content-Length'] ?? 0);
      if (client.input.length < end + 2 + length) return;
      const body = client.input.subarray(end + 2, end + 2 + length).toString('utf8');
      client.input = client.input.subarray(end + 2 + length);
      this.command(client, lines[0].trim(), headers, body);
    }
  }

  private command(client: Client, line: string, headers: Record<string, string>, body: string): void {
    const space = line.indexOf(' ');
    const verb = (space < 0 ? line : line.slice(0, space)).toLowerCase();
    const rest = space < 0 ? '' : line.slice(space + 1).trim();
    this.commands.push(verb === 'auth' ? 'auth ***' : line);
    if (this.silent) return;
    if (!client.authed) {
      if (verb !== 'auth') return this.write(client, commandReply('-ERR invalid'));
      if (rest === this.password) {
        client.authed = true;
        return this.write(client, commandReply('+OK accepted'));
      }
      this.write(client, commandReply('-ERR invalid'));
      this.write(client, disconnectNotice());
      return this.endAfterFlush(client);
    }
    switch (verb) {
      case 'event':
        return this.subscribe(client, rest);
      case 'noevents':
        client.all = false;
        client.events.clear();
        return this.write(client, commandReply('+OK no longer listening for events'));
      case 'filter':
      case 'nixevent':
      case 'linger':
      case 'log':
        return this.write(client, commandReply('+OK'));
      case 'api':
        void this.api(rest).then((result) => this.write(client, apiResponse(result)));
        return;
      case 'bgapi':
        return this.bgapi(client, rest, headers['Job-UUID']);
      case 'sendmsg':
        return this.sendmsg(client, rest, headers, body);
      case 'exit':
        this.write(client, commandReply('+OK bye'));
        this.write(client, disconnectNotice());
        return this.endAfterFlush(client);
      default:
        return this.write(client, commandReply('-ERR command not found'));
    }
  }

  private subscribe(client: Client, rest: string): void {
    const [format, ...names] = rest.split(/\s+/).filter(Boolean);
    if (!['plain', 'json', 'xml'].includes(format)) return this.write(client, commandReply('-ERR invalid format'));
    client.format = format === 'json' ? 'json' : 'plain';
    // CUSTOM is followed by the subclasses wanted (CUSTOM callcenter::info), as in FreeSWITCH.
    for (const name of names) {
      if (name.toUpperCase() === 'ALL') client.all = true;
      else client.events.add(name.includes('::') ? name : name.toUpperCase());
    }
    this.write(client, commandReply(`+OK event listener enabled ${format}`));
  }

  private bgapi(client: Client, rest: string, requestedJob?: string): void {
    const job = requestedJob || randomUUID();
    this.write(client, commandReply(`+OK Job-UUID: ${job}`, [['Job-UUID', job]]));
    const space = rest.indexOf(' ');
    const [command, args] = space < 0 ? [rest, ''] : [rest.slice(0, space), rest.slice(space + 1)];
    void this.api(rest).then((result) => {
      this.emit(
        'BACKGROUND_JOB',
        [
          ['Event-Name', 'BACKGROUND_JOB'],
          ['Core-UUID', this.coreUuid],
          ['FreeSWITCH-Hostname', this.hostname],
          ['Event-Date-Timestamp', String(Date.now() * 1000)],
          ['Event-Calling-File', 'mod_event_socket.c'],
          ['Event-Calling-Function', 'api_exec'],
          ['Event-Calling-Line-Number', '1557'],
          ['Event-Sequence', String(this.nextSequence())],
          ['Job-UUID', job],
          ['Job-Command', command],
          ['Job-Command-Arg', args],
        ],
        result,
      );
    });
  }

  private async api(line: string): Promise<string> {
    const [command, ...args] = line.split(/\s+/);
    const channel = this.channels.get(args[0] ?? '');
    switch (command) {
      case 'status':
        return 'UP 0 years, 0 days, 1 hour, 2 minutes, 3 seconds\nFreeSWITCH (Version 1.10.12 -release 64bit) is ready\n';
      case 'show':
        if (args.join(' ') === 'channels as json') {
          this.channelListings++;
          return this.showChannels();
        }
        return `-ERR show ${args.join(' ')} not supported here\n`;
      case 'originate':
        return this.originate(line.slice('originate '.length));
      case 'uuid_kill':
        if (!channel) return '-ERR No such channel!\n';
        channel.hangup(args[1] || 'NORMAL_CLEARING');
        return '+OK\n';
      case 'uuid_record':
        return this.record(channel, args[1], args[2]);
      case 'uuid_transfer':
        return this.transfer(channel, args[1], args[3]);
      case 'sched_del':
        return `+OK Deleted: ${this.scheduled.delete(args[0] ?? '') ? 1 : 0}\n`;
      case 'sched_transfer': {
        const target = this.channels.get(args[1] ?? '');
        if (!target) return '-ERR No such channel!\n';
        this.scheduled.set(target.uuid, [args[0], ...args.slice(2)].join(' '));
        return '+OK\n';
      }
      case 'eval':
        // only the global variables our configuration defines
        return args.join(' ').replace(/\$\{cg_prompts_dir\}/g, '/usr/share/freeswitch/sounds/cg/zh-CN');
      case 'file_exists':
        return (this.options.fileExists ?? (() => true))(args.join(' ')) ? 'true' : 'false';
      case 'module_exists':
        return !this.options.modules || this.options.modules.includes(args[0] ?? '') ? 'true' : 'false';
      default:
        return `-ERR ${command} Command not found!\n`;
    }
  }

  private showChannels(): string {
    const rows = [...this.channels.values()].map((c) => ({
      uuid: c.uuid,
      direction: c.init.direction,
      created: new Date(c.createdMicros / 1000).toISOString().replace('T', ' ').slice(0, 19),
      created_epoch: String(Math.floor(c.createdMicros / 1e6)),
      name: c.name,
      state: 'CS_EXECUTE',
      cid_name: c.init.callerName ?? c.init.callerNumber,
      cid_num: c.init.callerNumber,
      ip_addr: '198.51.100.7',
      dest: c.destination,
      application: 'park',
      application_data: '',
      dialplan: 'XML',
      context: c.init.context,
      read_codec: 'PCMA',
      read_rate: '8000',
      read_bit_rate: '64000',
      write_codec: 'PCMA',
      write_rate: '8000',
      write_bit_rate: '64000',
      secure: '',
      hostname: this.hostname,
      presence_id: '',
      presence_data: '',
      accountcode: '',
      callstate: c.callState,
      callee_name: '',
      callee_num: '',
      callee_direction: '',
      call_uuid: c.callUuid,
      sent_callee_name: '',
      sent_callee_num: '',
      initial_cid_name: c.init.callerName ?? c.init.callerNumber,
      initial_cid_num: c.init.callerNumber,
      initial_ip_addr: '198.51.100.7',
      initial_dest: c.init.destination,
      initial_dialplan: 'XML',
      initial_context: c.init.context,
    }));
    return `${JSON.stringify(rows.length ? { row_count: rows.length, rows } : { row_count: 0 })}\n`;
  }

  private record(channel: EslChannel | undefined, action: string | undefined, path: string | undefined): string {
    if (!channel) return '-ERR Cannot locate session!\n';
    if (action === 'start' && path) {
      channel.recordings.add(path);
      return '+OK Success\n';
    }
    if (action === 'stop' && path) {
      const paths = path === 'all' ? [...channel.recordings] : channel.recordings.has(path) ? [path] : [];
      for (const p of paths) {
        channel.recordings.delete(p);
        channel.emitRecordStop(p);
      }
      return '+OK Success\n';
    }
    return '-USAGE: <uuid> [start|stop|mask|unmask] <path> [<limit>]\n';
  }

  private transfer(
    channel: EslChannel | undefined,
    destination: string | undefined,
    context: string | undefined,
  ): string {
    if (!channel) return '-ERR No such channel!\n';
    if (!destination) return '-USAGE: <uuid> [-bleg|-both] <dest-exten> [<dialplan>] [<context>]\n';
    // the dialplans we transfer into cancel the hotline's fall-back first (sched_cancel)
    this.scheduled.delete(channel.uuid);
    channel.destination = destination;
    const agents = this.options.agents ?? ['1001'];
    setImmediate(() => {
      if (context === (this.options.agentContext ?? 'cg_agents')) channel.bridgeToAgent(destination);
      else if (context === (this.options.queueContext ?? 'cg_queue')) {
        const agent = agents[this.nextAgent++ % agents.length];
        channel.bridgeToAgent(agent, `${agent}@default`);
      }
    });
    return '+OK\n';
  }

  private async originate(args: string): Promise<string> {
    const match = /^(?:\{([^}]*)\})?(\S+)\s+(\S.*)?$/.exec(args.trim());
    if (!match)
      return '-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n';
    const variables = parseVariables(match[1] ?? '');
    const destination = match[2].split('/').pop()!.split('@')[0];
    // sofia/gateway/<gateway>/<number> runs on the gateway's profile, sofia/<profile>/<uri> on that one
    const sofia = /^sofia\/([^/]+)\//.exec(match[2]);
    const profile = sofia
      ? sofia[1] === 'gateway'
        ? (this.options.gatewayProfile ?? 'external')
        : sofia[1]
      : 'internal';
    if (sofia && !this.profiles.has(profile)) return '-ERR INVALID_PROFILE\n';
    const uuid = variables.origination_uuid || randomUUID();
    const callerId = variables.origination_caller_id_number ?? '0000000000';
    const own: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables)) if (!name.startsWith('origination_')) own[name] = value;
    const channel = new EslChannel(this, {
      uuid,
      direction: 'outbound',
      callerNumber: callerId,
      callerName: variables.origination_caller_id_name,
      destination,
      context: 'default',
      variables: own,
      profile,
    });
    this.channels.set(uuid, channel);
    channel.create();
    const plan = planOf(await this.originateHandler({ callId: uuid, destination, callerId, variables: own }));
    channel.silent = plan.silent ?? false;
    if (plan.ringMs) await new Promise((resolve) => setTimeout(resolve, plan.ringMs));
    if (plan.outcome === 'answer') {
      channel.answer();
      plan.onAnswered?.(channel);
      // originate <agent> &bridge(<citizen>): the app runs once the first leg answers, after the job's +OK
      const bridge = /^&bridge\((.*)\)$/.exec((match[3] ?? '').trim());
      if (bridge) setImmediate(() => void this.bridgeOut(channel, bridge[1]));
      return `+OK ${uuid}\n`;
    }
    const cause = { no_answer: 'NO_ANSWER', busy: 'USER_BUSY', reject: 'CALL_REJECTED', fail: 'UNALLOCATED_NUMBER' }[
      plan.outcome
    ];
    channel.hangup(cause);
    await channel.ended;
    return `-ERR ${cause}\n`;
  }

  /**
   * The bridge application on an answered channel: dials `target` ({vars}dial string) as a new
   * leg of the same call and bridges the two once it answers; if it does not, the first leg is
   * hung up with its cause (no continue_on_fail), as FreeSWITCH does.
   */
  private async bridgeOut(a: EslChannel, target: string): Promise<void> {
    if (a.hungup) return;
    const match = /^(?:\{([^}]*)\})?(\S+)$/.exec(target.trim());
    if (!match) return a.hangup('INVALID_NUMBER_FORMAT');
    const variables = parseVariables(match[1] ?? '');
    const destination = match[2].split('/').pop()!.split('@')[0];
    const callerId = variables.origination_caller_id_number ?? a.init.callerNumber;
    const b = new EslChannel(this, {
      direction: 'outbound',
      callerNumber: callerId,
      callerName: variables.origination_caller_id_name ?? callerId,
      destination,
      context: 'default',
      callUuid: a.uuid,
    });
    this.channels.set(b.uuid, b);
    b.create();
    const plan = planOf(await this.originateHandler({ callId: b.uuid, destination, callerId, variables: {} }));
    if (plan.ringMs) await new Promise((resolve) => setTimeout(resolve, plan.ringMs));
    if (a.hungup) return b.hangup('ORIGINATOR_CANCEL');
    if (plan.outcome !== 'answer') {
      const cause = { no_answer: 'NO_ANSWER', busy: 'USER_BUSY', reject: 'CALL_REJECTED', fail: 'UNALLOCATED_NUMBER' }[
        plan.outcome
      ];
      b.hangup(cause);
      await b.ended;
      return a.hangup(cause);
    }
    b.answer();
    a.bridgedTo = b;
    b.bridgedTo = a;
    a.emit('CHANNEL_BRIDGE', 'CS_EXCHANGE_MEDIA', 'ACTIVE', [
      ['Bridge-A-Unique-ID', a.uuid],
      ['Bridge-B-Unique-ID', b.uuid],
      ['Other-Type', 'originatee'],
      ['Other-Leg-Direction', 'outbound'],
      ['Other-Leg-Caller-ID-Name', callerId],
      ['Other-Leg-Caller-ID-Number', callerId],
      ['Other-Leg-Destination-Number', destination],
      ['Other-Leg-Unique-ID', b.uuid],
      ['Other-Leg-Channel-Name', b.name],
    ]);
    plan.onAnswered?.(b);
  }

  private sendmsg(client: Client, uuid: string, headers: Record<string, string>, body: string): void {
    const channel = this.channels.get(uuid);
    if (!channel || channel.hungup) return this.write(client, commandReply(`-ERR invalid session id [${uuid}]`));
    this.write(client, commandReply('+OK'));
    if ((headers['call-command'] ?? '').toLowerCase() !== 'execute') return;
    const app = headers['execute-app-name'];
    const arg = headers['execute-app-arg'] ?? body;
    const eventUuid = headers['Event-UUID'] ?? randomUUID();
    channel.appChain = channel.appChain.then(() => this.execute(channel, app, arg, eventUuid));
  }

  private async execute(channel: EslChannel, app: string, arg: string, eventUuid: string): Promise<void> {
    let response = '_none_';
    if (!channel.hungup) {
      if (app === 'playback') {
        channel.prompts.push(arg);
        // no clock and no audio coming in: the prompt outlasts the call (one frame per 5 s)
        if (this.mediaStalls(channel)) await channel.hangingUp;
        response = channel.hungup ? 'PLAYBACK ERROR' : 'FILE PLAYED';
      } else if (app === 'play_and_get_digits') {
        await this.playAndGetDigits(channel, splitArgs(arg));
      } else if (app === 'hangup') {
        setImmediate(() => channel.hangup(arg || 'NORMAL_CLEARING'));
      }
    }
    channel.emit('CHANNEL_EXECUTE_COMPLETE', 'CS_EXECUTE', channel.callState, [
      ['Application', app],
      ['Application-Data', arg],
      ['Application-Response', response],
      ['Application-UUID', eventUuid],
    ]);
  }

  /** switch_play_and_get_digits: tries, regex, <var>, <var>_invalid, read_result. */
  private async playAndGetDigits(channel: EslChannel, args: string[]): Promise<void> {
    const [min, max, tries, timeout] = args.slice(0, 4).map(Number);
    const [terminators, prompt, invalidPrompt, variable, regex] = args.slice(4, 9);
    const digitTimeout = Number(args[9] ?? timeout) || timeout;
    const pattern = regex ? new RegExp(regex) : null;
    channel.variables.delete(variable);
    channel.variables.delete(`${variable}_invalid`);
    let result = 'failure';
    for (let attempt = 1; attempt <= tries && !channel.hungup; attempt++) {
      channel.prompts.push(prompt);
      const answer = channel.collector?.({ prompt, attempt, maxDigits: max });
      if (answer === 'hangup') {
        setImmediate(() => channel.hangup('NORMAL_CLEARING'));
      } else if (answer) {
        setImmediate(() => channel.pressDigits(answer));
      }
      // the prompt stalls as playback does; a key (RFC 2833 arrives on its own) breaks it
      if (this.mediaStalls(channel)) await channel.keypad.pressedOrClosed();
      const got = await channel.keypad.collect(max, timeout, digitTimeout, terminators === 'none' ? '' : terminators);
      if (channel.hungup) break;
      const digits = got.digits;
      if (digits.length >= min && digits.length > 0 && (!pattern || pattern.test(digits))) {
        channel.variables.set(variable, digits);
        channel.variables.set('read_result', 'success');
        return;
      }
      result = digits ? 'failure' : got.timedOut && min === 0 ? 'timeout' : 'failure';
      if (digits) channel.variables.set(`${variable}_invalid`, digits);
      if (attempt < tries) channel.prompts.push(invalidPrompt);
    }
    channel.variables.set('read_result', result);
  }

  /**
   * Whether the prompts played to a channel stall: its profile sends media without a clock
   * of its own (no rtp-timer-name) and the far end sends no audio to pace it.
   */
  mediaStalls(channel: EslChannel): boolean {
    if (!channel.silent) return false;
    const profile = this.profiles.get(channel.profile);
    if (!profile) throw new Error(`no SIP profile ${channel.profile} in the configuration`);
    return !profile.clocked;
  }

  private write(client: Client, frame: Buffer): void {
    if (this.options.recordWire) this.wire.push(frame);
    const size = this.options.chunkSize;
    if (!size) {
      if (client.flushing) client.output.push(frame);
      else client.socket.write(frame);
      return;
    }
    for (let at = 0; at < frame.length; at += size) client.output.push(frame.subarray(at, at + size));
    if (!client.flushing) void this.drain(client);
  }

  private async drain(client: Client): Promise<void> {
    client.flushing = true;
    while (client.output.length) {
      if (client.socket.destroyed) break;
      client.socket.write(client.output.shift()!);
      await new Promise((resolve) => setImmediate(resolve));
    }
    client.output.length = 0;
    client.flushing = false;
  }

  private endAfterFlush(client: Client): void {
    const finish = () => (client.flushing ? setTimeout(finish, 5) : client.socket.end());
    finish();
  }
}
