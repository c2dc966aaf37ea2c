import { HANGUP_CAUSE_UNSPECIFIED, causeName } from '../pbx/hangup-causes.js';
import type { ChannelIdentity, ChannelSignal, ChannelSnapshot } from '../pbx/signals.js';
import type { AmiPacket } from './connection.js';

export interface AmiChannel {
  uniqueid: string;
  /** AMI actions address channels by name (PJSIP/1001-00000002), not by Uniqueid. */
  name: string;
  /** The last CG_DIGITS the cg-read context set. */
  digits: string;
}

function clean(value: string | undefined): string {
  return !value || value === '<unknown>' || value === '<null>' ? '' : value;
}

/** PJSIP/1001-00000002, SIP/1001-000000bb, Local/1001@agents-0000;1 and Dial strings like PJSIP/1001 all give 1001. */
export function extensionOf(channelOrDialString: string): string {
  const afterTech = channelOrDialString.includes('/')
    ? channelOrDialString.slice(channelOrDialString.indexOf('/') + 1)
    : channelOrDialString;
  return afterTech.split(/[@;&,]/)[0].replace(/-[0-9a-f]{8}$/i, '');
}

/** manager.conf `channelvars = cg_called`: every channel event carries `ChanVariable: cg_called=12319`. */
function calledOf(event: AmiPacket): string {
  const chanVariable = event.ChanVariable ?? '';
  return chanVariable.startsWith('cg_called=') ? chanVariable.slice('cg_called='.length) : '';
}

function eventTime(event: AmiPacket): Date {
  const seconds = Number(event.Timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(Math.round(seconds * 1000)) : new Date();
}

/**
 * The AMI adapter's view of channels: names for actions, bridge membership, which
 * agent a Dial went to. Turns AMI events into channel signals.
 */
export class AmiChannelTable {
  private readonly channels = new Map<string, AmiChannel>();
  private readonly originated = new Set<string>();
  /** Originated channels' Hangup causes; 0: hung up without a cause. */
  private readonly causes = new Map<string, number>();
  private readonly causeWaiters = new Map<string, (code: number) => void>();
  private readonly bridges = new Map<string, Set<string>>();
  private readonly dialed = new Map<string, string>();
  private readonly tracked: Map<string, string>;

  constructor(trackedVariables: readonly string[]) {
    this.tracked = new Map(trackedVariables.map((name) => [name.toLowerCase(), name]));
  }

  get(uniqueid: string): AmiChannel | undefined {
    return this.channels.get(uniqueid);
  }

  /** Channels we originate carry our ChannelId as Uniqueid, so we know they are outbound. */
  expectOriginated(uniqueid: string): void {
    this.originated.add(uniqueid);
  }

  /** The Q.850 cause of an originated channel's Hangup, which Asterisk sends before OriginateResponse. */
  hangupCauseOf(uniqueid: string): number | null {
    const code = this.causes.get(uniqueid);
    this.causes.delete(uniqueid);
    this.originated.delete(uniqueid);
    return code ? code : null;
  }

  /**
   * The cause of a failed originate. Asterisk usually sends the channel's Hangup before
   * OriginateResponse, but the two come from different threads and a loaded Asterisk can send
   * them the other way round: then this waits for the Hangup, up to `waitMs`.
   */
  async failureCauseOf(uniqueid: string, waitMs: number): Promise<number | null> {
    if (!this.causes.has(uniqueid)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.causeWaiters.delete(uniqueid);
          resolve();
        }, waitMs);
        this.causeWaiters.set(uniqueid, () => {
          clearTimeout(timer);
          this.causeWaiters.delete(uniqueid);
          resolve();
        });
      });
    }
    return this.hangupCauseOf(uniqueid);
  }

  snapshot(row: AmiPacket): ChannelSnapshot {
    const [h = 0, m = 0, s = 0] = (row.Duration ?? '').split(':').map(Number);
    const createdAt = new Date(Date.now() - ((h * 60 + m) * 60 + s) * 1000);
    const identity = this.identity(row, createdAt);
    this.remember(row);
    return { identity, answered: row.ChannelState === '6' };
  }

  apply(event: AmiPacket, recordings: ReadonlyMap<string, string>): ChannelSignal[] {
    const uniqueid = event.Uniqueid;
    if (!uniqueid) return [];
    const at = eventTime(event);
    const known = this.channels.has(uniqueid);
    const identity = () => this.identity(event, at);
    switch (event.Event) {
      case 'Newchannel': {
        const created = identity();
        this.remember(event);
        return [{ type: 'created', channelId: uniqueid, at, identity: created }];
      }
      case 'NewCallerid': {
        // Local channels, and any dialplan that normalises caller ID, set the number after Newchannel.
        this.remember(event);
        return [
          {
            type: 'caller',
            channelId: uniqueid,
            at,
            callerNumber: clean(event.CallerIDNum),
            callerName: clean(event.CallerIDName) || null,
          },
        ];
      }
      case 'Rename': {
        const channel = this.channels.get(uniqueid);
        if (channel && event.Newname) channel.name = event.Newname;
        return [];
      }
      case 'Newstate': {
        const id = identity();
        this.remember(event);
        return event.ChannelState === '6' ? [{ type: 'answered', channelId: uniqueid, at, identity: id }] : [];
      }
      case 'DialBegin':
        if (event.DestUniqueid)
          this.dialed.set(event.DestUniqueid, extensionOf(event.DialString || event.DestChannel || ''));
        return [];
      case 'BridgeEnter': {
        const id = identity();
        this.remember(event);
        const bridge = event.BridgeUniqueid;
        if (!bridge) return [];
        const members = this.bridges.get(bridge) ?? new Set<string>();
        this.bridges.set(bridge, members);
        const signals: ChannelSignal[] = [];
        for (const other of members) {
          const extension = this.dialed.get(other) ?? this.dialed.get(uniqueid);
          signals.push({
            type: 'bridged',
            channelId: uniqueid,
            otherChannelId: other,
            at,
            identity: id,
            ...(extension ? { agent: { extension } } : {}),
          });
        }
        members.add(uniqueid);
        return signals;
      }
      case 'BridgeLeave': {
        const members = this.bridges.get(event.BridgeUniqueid ?? '');
        members?.delete(uniqueid);
        if (members && !members.size) this.bridges.delete(event.BridgeUniqueid);
        return [];
      }
      case 'DTMFEnd':
        if (event.Direction !== 'Received' || !event.Digit) return [];
        return [
          { type: 'dtmf', channelId: uniqueid, digit: event.Digit, at, ...(known ? {} : { identity: identity() }) },
        ];
      case 'VarSet': {
        // our hotline dialplan runs on this channel: a citizen's call of its own, whatever its Linkedid
        if (event.Variable === 'cg_called' && event.Value) {
          const id = this.identity({ ...event, ChanVariable: `cg_called=${event.Value}` }, at);
          return [{ type: 'own_call', channelId: uniqueid, at, identity: { ...id, calledNumber: event.Value } }];
        }
        const name = this.tracked.get((event.Variable ?? '').toLowerCase());
        if (!name) return [];
        return [{ type: 'variables', channelId: uniqueid, at, variables: { [name]: event.Value ?? '' } }];
      }
      case 'MixMonitorStop': {
        const path = recordings.get(uniqueid);
        return path ? [{ type: 'recording_stopped', channelId: uniqueid, path, at }] : [];
      }
      case 'Hangup': {
        // Cause 0 means Asterisk gave none: it must not stand in for a real reason (busy, rejected).
        const code = Number(event.Cause);
        const causeCode = Number.isInteger(code) && code > 0 && event.Cause !== '' ? code : null;
        if (this.originated.has(uniqueid)) {
          this.causes.set(uniqueid, causeCode ?? 0);
          this.causeWaiters.get(uniqueid)?.(causeCode ?? 0);
        }
        const id = known ? undefined : identity();
        this.channels.delete(uniqueid);
        this.dialed.delete(uniqueid);
        // MixMonitor sends MixMonitorStop only when stopped on purpose: a recording the
        // dialplan started (cg_recording) ends with the channel.
        const recording = recordings.get(uniqueid);
        return [
          ...(recording ? [{ type: 'recording_stopped' as const, channelId: uniqueid, path: recording, at }] : []),
          {
            type: 'hungup',
            channelId: uniqueid,
            cause:
              causeCode === null
                ? event.Cause === '0'
                  ? HANGUP_CAUSE_UNSPECIFIED
                  : 'NORMAL_CLEARING'
                : causeName(causeCode),
            causeCode,
            at,
            ...(id ? { identity: id } : {}),
          },
        ];
      }
      default:
        return [];
    }
  }

  private remember(event: AmiPacket): void {
    const uniqueid = event.Uniqueid;
    const existing = this.channels.get(uniqueid);
    if (existing) {
      if (event.Channel) existing.name = event.Channel;
      return;
    }
    this.channels.set(uniqueid, { uniqueid, name: event.Channel ?? '', digits: '' });
  }

  /**
   * Which call a channel belongs to. Its Linkedid, as a rule; but a channel we originated,
   * or one our hotline dialplan runs on (cg_called), is a call of its own, and the calling
   * half of a Local pair (;1) never is one: the dialplan runs on its ;2 half, whose Linkedid
   * is the ;1's.
   */
  private callIdOf(event: AmiPacket): string {
    const uniqueid = event.Uniqueid;
    if (this.originated.has(uniqueid) || calledOf(event)) return uniqueid;
    if (/^Local\/.*;1$/.test(event.Channel ?? '')) return `${uniqueid};caller`;
    return clean(event.Linkedid) || uniqueid;
  }

  private identity(event: AmiPacket, createdAt: Date): ChannelIdentity {
    const uniqueid = event.Uniqueid;
    return {
      channelId: uniqueid,
      callId: this.callIdOf(event),
      direction: this.originated.has(uniqueid) ? 'outbound' : 'inbound',
      callerNumber: clean(event.CallerIDNum),
      callerName: clean(event.CallerIDName) || null,
      // the number first dialled: Exten is wherever the dialplan has the channel now (s, hotline)
      calledNumber: calledOf(event) || clean(event.Exten),
      createdAt,
      variables: {},
    };
  }
}
