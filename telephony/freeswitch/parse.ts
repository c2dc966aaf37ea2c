import type { ChannelIdentity, ChannelSignal, ChannelSnapshot } from '../pbx/signals.js';
import type { DigitsResult } from '../pbx/types.js';
import type { EslHeaders } from './connection.js';

/**
 * What we subscribe to. BACKGROUND_JOB and CHANNEL_EXECUTE_COMPLETE carry command results;
 * mod_callcenter's own events (CUSTOM callcenter::info) name the agent a queued caller reached.
 */
export const ESL_EVENTS = [
  'CHANNEL_CREATE',
  'CHANNEL_ANSWER',
  'CHANNEL_BRIDGE',
  'DTMF',
  'RECORD_STOP',
  'CHANNEL_HANGUP_COMPLETE',
  'CHANNEL_EXECUTE_COMPLETE',
  'BACKGROUND_JOB',
  'HEARTBEAT',
  'CUSTOM',
  'callcenter::info',
];

/** mod_callcenter names agents <extension>@<domain> (telephony/freeswitch/conf/autoload_configs/callcenter.conf.xml). */
export function extensionOfAgent(agent: string): string {
  return agent.split('@')[0];
}

function text(value: string | undefined): string {
  return value === undefined || value === '_undef_' ? '' : value;
}

function fromMicros(value: string | undefined): Date | null {
  const micros = Number(value);
  return Number.isFinite(micros) && micros > 0 ? new Date(Math.floor(micros / 1000)) : null;
}

export function eventTime(h: EslHeaders): Date {
  return fromMicros(h['Event-Date-Timestamp']) ?? new Date();
}

function pickVariables(h: EslHeaders, tracked: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const name of tracked) {
    const value = h[`variable_${name}`];
    if (value !== undefined && value !== '_undef_') variables[name] = value;
  }
  return variables;
}

/**
 * The call a leg belongs to: mod_callcenter marks agent legs with the member's uuid,
 * bridge/originate legs carry the a-leg's uuid as Channel-Call-UUID.
 */
function callIdOf(h: EslHeaders, uuid: string): string {
  const member = text(h['variable_cc_member_session_uuid']);
  if (member && member !== uuid) return member;
  const call = text(h['Channel-Call-UUID']);
  return call || uuid;
}

export function identityOf(h: EslHeaders, tracked: readonly string[]): ChannelIdentity | undefined {
  const uuid = h['Unique-ID'];
  if (!uuid) return undefined;
  const agentId = text(h['variable_cc_agent']);
  return {
    channelId: uuid,
    callId: callIdOf(h, uuid),
    direction: (h['Call-Direction'] ?? h['Caller-Direction']) === 'outbound' ? 'outbound' : 'inbound',
    callerNumber: text(h['Caller-Caller-ID-Number']),
    callerName: text(h['Caller-Caller-ID-Name']) || null,
    calledNumber: text(h['Caller-Destination-Number']),
    createdAt: fromMicros(h['Caller-Channel-Created-Time']) ?? eventTime(h),
    variables: pickVariables(h, tracked),
    ...(agentId ? { agent: { id: agentId } } : {}),
  };
}

/** Turns one decoded event-plain frame into a channel signal; null for events we do not track. */
export function toSignal(h: EslHeaders, tracked: readonly string[]): ChannelSignal | null {
  if (h['Event-Name'] === 'CUSTOM') return callcenterSignal(h);
  const identity = identityOf(h, tracked);
  if (!identity) return null;
  const channelId = identity.channelId;
  const at = eventTime(h);
  switch (h['Event-Name']) {
    case 'CHANNEL_CREATE':
      return { type: 'created', channelId, at, identity };
    case 'CHANNEL_ANSWER':
      return { type: 'answered', channelId, at, identity };
    case 'CHANNEL_BRIDGE': {
      // A queued caller's agent is named by mod_callcenter's bridge-agent-start (callcenterSignal):
      // on this leg's bridge, Other-Leg-Destination-Number is the user part of the phone's SIP
      // Contact, which need not be the agent's extension, and cc_agent is not set yet.
      if (text(h['variable_cc_queue']) && !text(h['variable_cg_agent'])) return null;
      const a = text(h['Bridge-A-Unique-ID']) || channelId;
      const b = text(h['Bridge-B-Unique-ID']) || text(h['Other-Leg-Unique-ID']) || null;
      const other = a === channelId ? b : a;
      // cg_agent is set by our cg_agents dialplan before it bridges to one agent's phone.
      const extension =
        text(h['variable_cg_agent']) ||
        text(h['Other-Leg-Destination-Number']) ||
        text(h['Other-Leg-Callee-ID-Number']);
      const agentId = text(h['variable_cc_agent']);
      return {
        type: 'bridged',
        channelId,
        otherChannelId: other,
        at,
        identity,
        agent: { ...(extension ? { extension } : {}), ...(agentId ? { id: agentId } : {}) },
      };
    }
    case 'DTMF': {
      const digit = text(h['DTMF-Digit']);
      return digit ? { type: 'dtmf', channelId, digit, at, identity } : null;
    }
    case 'RECORD_STOP': {
      const path = text(h['Record-File-Path']);
      return path ? { type: 'recording_stopped', channelId, path, at, identity } : null;
    }
    case 'CHANNEL_HANGUP_COMPLETE': {
      const code = Number(h['variable_hangup_cause_q850']);
      return {
        type: 'hungup',
        channelId,
        cause: text(h['Hangup-Cause']) || 'NORMAL_CLEARING',
        causeCode: Number.isInteger(code) && h['variable_hangup_cause_q850'] ? code : null,
        at,
        identity,
      };
    }
    default:
      return null;
  }
}

/**
 * mod_callcenter's bridge-agent-start: the member (the citizen's call) and the agent it
 * reached, by the agent's name. The event's channel headers are the agent leg's.
 */
function callcenterSignal(h: EslHeaders): ChannelSignal | null {
  if (h['Event-Subclass'] !== 'callcenter::info' || h['CC-Action'] !== 'bridge-agent-start') return null;
  const member = text(h['CC-Member-Session-UUID']);
  const agent = text(h['CC-Agent']);
  if (!member || !agent) return null;
  return {
    type: 'bridged',
    channelId: member,
    otherChannelId: text(h['CC-Agent-UUID']) || null,
    at: eventTime(h),
    agent: { extension: extensionOfAgent(agent), id: agent },
  };
}

interface ShowChannelsRow {
  uuid?: string;
  direction?: string;
  created_epoch?: string;
  cid_name?: string;
  cid_num?: string;
  dest?: string;
  /** The number first dialled; `dest` changes with every transfer (to `hotline` once queued). */
  initial_dest?: string;
  callstate?: string;
  call_uuid?: string;
}

/** `show channels as json`: `{"row_count":0}` when idle, else `{"row_count":N,"rows":[...]}`. */
export function parseShowChannels(body: string): ChannelSnapshot[] {
  const trimmed = body.trim();
  if (!trimmed.startsWith('{')) throw new Error(`show channels: unexpected reply ${trimmed.slice(0, 80)}`);
  const parsed = JSON.parse(trimmed) as { rows?: ShowChannelsRow[] };
  return (parsed.rows ?? [])
    .filter((row): row is ShowChannelsRow & { uuid: string } => Boolean(row.uuid))
    .map((row) => ({
      identity: {
        channelId: row.uuid,
        callId: row.call_uuid || row.uuid,
        direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
        callerNumber: row.cid_num ?? '',
        callerName: row.cid_name || null,
        calledNumber: row.initial_dest || row.dest || '',
        createdAt: row.created_epoch ? new Date(Number(row.created_epoch) * 1000) : new Date(),
        variables: {},
      },
      answered: row.callstate === 'ACTIVE' || row.callstate === 'HELD',
    }));
}

/**
 * play_and_get_digits puts its result in channel variables, visible in the
 * CHANNEL_EXECUTE_COMPLETE: the digits in <var> when valid, the rejected input in
 * <var>_invalid, nothing at all when the caller pressed nothing.
 */
export function digitsResult(h: EslHeaders, variable: string): DigitsResult {
  const digits = text(h[`variable_${variable}`]);
  if (digits) return { status: 'success', digits };
  const invalid = text(h[`variable_${variable}_invalid`]);
  if (invalid) return { status: 'invalid', digits: invalid };
  return { status: 'timeout' };
}
