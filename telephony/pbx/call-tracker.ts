import type { Logger } from 'pino';
import type { PbxEventName, PbxEvents } from './events.js';
import {
  HANGUP_CAUSE_NOT_CREATED,
  HANGUP_CAUSE_UNSPECIFIED,
  HANGUP_CAUSE_VANISHED,
  causeCode,
} from './hangup-causes.js';
import type { ChannelIdentity, ChannelSignal, ChannelSnapshot } from './signals.js';
import type { AgentRef, CallRecord } from './types.js';

export interface TrackerSink {
  emit<E extends PbxEventName>(event: E, payload: PbxEvents[E]): void;
  persist(record: CallRecord): void;
  log: Logger;
}

interface LiveCall {
  record: CallRecord;
  /** The connection epoch in which we last heard of this call: calls not heard of since a reconnect may have vanished. */
  epoch: number;
}

interface Leg {
  identity: ChannelIdentity;
  epoch: number;
}

export interface OutboundExpectation {
  callerNumber: string;
  calledNumber: string;
  variables: Record<string, string>;
  requestedAt: Date;
}

/**
 * Assembles CallRecords from channel signals, once for every adapter. A citizen call is
 * the channel whose callId is its own id; legs (agents) only feed the call they serve.
 */
export class CallTracker {
  private readonly live = new Map<string, LiveCall>();
  private readonly legs = new Map<string, Leg>();
  /** Recently ended calls: late events still land on them, and resync never resurrects them. */
  private readonly ended = new Map<string, CallRecord>();
  private readonly expected = new Map<string, OutboundExpectation>();

  constructor(
    private readonly sink: TrackerSink,
    private readonly endedCapacity = 20_000,
  ) {}

  expectOutbound(callId: string, expectation: OutboundExpectation): void {
    this.expected.set(callId, expectation);
  }

  get(callId: string): CallRecord | undefined {
    return this.live.get(callId)?.record ?? this.ended.get(callId);
  }

  isLive(callId: string): boolean {
    return this.live.has(callId);
  }

  /** Every call and leg this process tracks, expects or has recently ended. */
  knownIds(): Set<string> {
    return new Set([...this.live.keys(), ...this.legs.keys(), ...this.ended.keys(), ...this.expected.keys()]);
  }

  liveRecords(): CallRecord[] {
    return [...this.live.values()].map((call) => call.record);
  }

  apply(signal: ChannelSignal, epoch: number, receivedAt = new Date()): void {
    if (signal.type === 'created') {
      this.create(signal.identity, epoch, receivedAt, false);
      return;
    }
    if (signal.type === 'own_call') {
      if (this.legs.delete(signal.channelId)) this.create(signal.identity, epoch, receivedAt, false);
      return;
    }
    if (!this.live.has(signal.channelId) && !this.legs.has(signal.channelId) && signal.identity) {
      if (!this.ended.has(signal.channelId)) this.create(signal.identity, epoch, receivedAt, true);
    }
    const call = this.live.get(signal.channelId);
    if (call) {
      call.epoch = epoch;
      this.applyToCall(call, signal, receivedAt);
      return;
    }
    const leg = this.legs.get(signal.channelId);
    if (leg) {
      leg.epoch = epoch;
      this.applyToLeg(leg, signal, receivedAt);
      return;
    }
    const ended = this.ended.get(signal.channelId);
    if (ended && signal.type === 'recording_stopped') {
      ended.recordingPath = signal.path;
      this.sink.persist(ended);
      this.sink.emit('recording.stopped', { ...this.base(ended, signal.at, receivedAt), path: signal.path });
    }
  }

  /**
   * After a reconnect: create records for calls we missed, end the ones that vanished.
   * A call heard of on the new connection (epoch) is never ended here, even if the
   * list was taken before it started.
   */
  reconcile(snapshots: ChannelSnapshot[], epoch: number, now = new Date()): { recovered: string[]; ended: string[] } {
    const present = new Set(snapshots.map((s) => s.identity.channelId));
    const recovered: string[] = [];
    for (const snapshot of snapshots) {
      const id = snapshot.identity.channelId;
      if (this.ended.has(id)) continue;
      const known = this.live.get(id);
      if (known) {
        known.epoch = epoch;
        if (snapshot.answered) this.markAnswered(known, now, now, true);
        continue;
      }
      const leg = this.legs.get(id);
      if (leg) {
        leg.epoch = epoch;
        continue;
      }
      const created = this.create(snapshot.identity, epoch, now, true);
      if (created) {
        recovered.push(id);
        if (snapshot.answered) this.markAnswered(created, now, now, true);
      }
    }
    const ended: string[] = [];
    for (const [id, call] of this.live) {
      if (present.has(id) || call.epoch >= epoch) continue;
      this.finish(call, HANGUP_CAUSE_VANISHED, null, now, now, true);
      ended.push(id);
    }
    for (const [id, leg] of this.legs) {
      if (!present.has(id) && leg.epoch < epoch) this.legs.delete(id);
    }
    return { recovered, ended };
  }

  /** An originate that failed before the PBX made a channel still leaves a record of the attempt. */
  recordFailedOriginate(callId: string, cause: string, at: Date): void {
    const expectation = this.expected.get(callId);
    this.expected.delete(callId);
    const ended = this.ended.get(callId);
    // The channel's hangup gave no cause (Asterisk Cause: 0): the originate's is the one to keep.
    if (ended && ended.hangupCause === HANGUP_CAUSE_UNSPECIFIED && cause) {
      ended.hangupCause = cause;
      this.sink.persist(ended);
      return;
    }
    if (this.live.has(callId) || ended || !expectation) return;
    const record: CallRecord = {
      id: callId,
      direction: 'outbound',
      callerNumber: expectation.callerNumber,
      callerName: null,
      calledNumber: expectation.calledNumber,
      startedAt: expectation.requestedAt,
      answeredAt: null,
      bridgedAt: null,
      endedAt: at,
      hangupCause: cause || HANGUP_CAUSE_NOT_CREATED,
      recordingPath: null,
      agent: null,
      variables: { ...expectation.variables },
      dtmf: '',
    };
    this.remember(record);
    this.sink.persist(record);
  }

  private create(identity: ChannelIdentity, epoch: number, receivedAt: Date, recovered: boolean): LiveCall | undefined {
    const id = identity.channelId;
    const expectation = this.expected.get(id);
    if (!expectation && identity.callId !== id) {
      if (!this.legs.has(id)) this.legs.set(id, { identity, epoch });
      return undefined;
    }
    const existing = this.live.get(id);
    if (existing) {
      existing.epoch = epoch;
      return existing;
    }
    if (this.ended.has(id)) return undefined;
    this.expected.delete(id);
    const record: CallRecord = {
      id,
      direction: expectation ? 'outbound' : identity.direction,
      callerNumber: expectation?.callerNumber ?? identity.callerNumber,
      callerName: identity.callerName,
      calledNumber: expectation?.calledNumber ?? identity.calledNumber,
      startedAt: identity.createdAt,
      answeredAt: null,
      bridgedAt: null,
      endedAt: null,
      hangupCause: null,
      recordingPath: null,
      agent: null,
      variables: { ...identity.variables, ...expectation?.variables },
      dtmf: '',
    };
    const call: LiveCall = { record, epoch };
    this.live.set(id, call);
    this.sink.persist(record);
    this.sink.emit('call.started', {
      ...this.base(record, record.startedAt, receivedAt),
      callerName: record.callerName,
      variables: { ...record.variables },
      recovered,
    });
    return call;
  }

  private applyToCall(
    call: LiveCall,
    signal: Exclude<ChannelSignal, { type: 'created' | 'own_call' }>,
    receivedAt: Date,
  ): void {
    const record = call.record;
    switch (signal.type) {
      case 'answered':
        this.markAnswered(call, signal.at, receivedAt, false);
        return;
      case 'bridged': {
        const other = signal.otherChannelId;
        const leg = other ? this.legs.get(other) : undefined;
        const peer = other ? this.live.get(other) : undefined;
        this.markBridged(call, this.agentOf(signal.agent, leg?.identity, peer?.record), signal.at, receivedAt);
        return;
      }
      case 'dtmf':
        record.dtmf += signal.digit;
        this.sink.persist(record);
        this.sink.emit('call.dtmf', { ...this.base(record, signal.at, receivedAt), digit: signal.digit });
        return;
      case 'variables': {
        const changed = Object.entries(signal.variables).some(([k, v]) => record.variables[k] !== v);
        if (!changed) return;
        Object.assign(record.variables, signal.variables);
        this.sink.persist(record);
        return;
      }
      case 'caller': {
        if (
          !signal.callerNumber ||
          (record.callerNumber === signal.callerNumber && record.callerName === signal.callerName)
        )
          return;
        record.callerNumber = signal.callerNumber;
        record.callerName = signal.callerName ?? record.callerName;
        this.sink.persist(record);
        return;
      }
      case 'recording_stopped':
        record.recordingPath = signal.path;
        this.sink.persist(record);
        this.sink.emit('recording.stopped', { ...this.base(record, signal.at, receivedAt), path: signal.path });
        return;
      case 'hungup':
        this.finish(call, signal.cause, signal.causeCode, signal.at, receivedAt, false);
        return;
    }
  }

  private applyToLeg(
    leg: Leg,
    signal: Exclude<ChannelSignal, { type: 'created' | 'own_call' }>,
    receivedAt: Date,
  ): void {
    if (signal.type === 'hungup') {
      this.legs.delete(signal.channelId);
      return;
    }
    if (signal.type !== 'bridged') return;
    const other = signal.otherChannelId;
    const call = (other && this.live.get(other)) || this.live.get(leg.identity.callId);
    if (call) this.markBridged(call, this.agentOf(signal.agent, leg.identity, undefined), signal.at, receivedAt);
  }

  private agentOf(
    hint: Partial<AgentRef> | undefined,
    leg: ChannelIdentity | undefined,
    peer: CallRecord | undefined,
  ): AgentRef {
    return {
      extension: hint?.extension || leg?.agent?.extension || leg?.calledNumber || peer?.calledNumber || '',
      id: hint?.id ?? leg?.agent?.id ?? null,
    };
  }

  private markAnswered(call: LiveCall, at: Date, receivedAt: Date, recovered: boolean): void {
    if (call.record.answeredAt) return;
    call.record.answeredAt = at;
    this.sink.persist(call.record);
    this.sink.emit('call.answered', { ...this.base(call.record, at, receivedAt), recovered });
  }

  private markBridged(call: LiveCall, agent: AgentRef, at: Date, receivedAt: Date): void {
    const record = call.record;
    const same = record.agent && record.agent.extension === agent.extension && record.agent.id === agent.id;
    if (same && record.bridgedAt) return;
    record.bridgedAt ??= at;
    record.agent = agent;
    this.sink.persist(record);
    this.sink.emit('call.bridged', { ...this.base(record, at, receivedAt), agent: { ...agent } });
  }

  private finish(
    call: LiveCall,
    cause: string,
    code: number | null,
    at: Date,
    receivedAt: Date,
    recovered: boolean,
  ): void {
    const record = call.record;
    record.endedAt = at;
    record.hangupCause = cause;
    this.live.delete(record.id);
    this.remember(record);
    this.sink.persist(record);
    this.sink.emit('call.hungup', {
      ...this.base(record, at, receivedAt),
      cause,
      causeCode: code ?? causeCode(cause),
      recovered,
    });
  }

  private remember(record: CallRecord): void {
    this.ended.set(record.id, record);
    if (this.ended.size > this.endedCapacity) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }

  private base(record: CallRecord, at: Date, receivedAt: Date) {
    return {
      callId: record.id,
      direction: record.direction,
      callerNumber: record.callerNumber,
      calledNumber: record.calledNumber,
      at,
      receivedAt,
    };
  }
}
