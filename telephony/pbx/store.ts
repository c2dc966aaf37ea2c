import type { CallRecord } from './types.js';

/**
 * Where call records go. The server implements it on PostgreSQL. upsert is called
 * with the whole record after every change, so it must be idempotent per record.id:
 * insert the first time, merge after as mergeRecord does (resync never duplicates a
 * record, and a process that restarts mid-call and rebuilds the record from the PBX's
 * channel list never loses what the first one saw: the first answer and bridge times,
 * the agent, the number first dialled).
 */
export interface CallRecordStore {
  upsert(record: CallRecord): Promise<void>;
  /**
   * After a resync: ends every stored call still open that the PBX no longer has and this
   * process does not know (`keep`), started before the channel list was taken. Such a call
   * ended while nobody listened (a fail-over, a restart); its real end was never seen, so
   * it gets `endedAt` and `cause`. Returns the ids it closed.
   */
  closeVanished(vanished: VanishedCalls): Promise<string[]>;
}

export interface VanishedCalls {
  /** The calls on the PBX's channel list, and those this process tracks. */
  keep: ReadonlySet<string>;
  startedBefore: Date;
  endedAt: Date;
  cause: string;
}

/** What a stored record becomes when a newer view of the same call arrives. */
export function mergeRecord(stored: CallRecord, incoming: CallRecord): CallRecord {
  return {
    ...incoming,
    direction: stored.direction,
    callerNumber: incoming.callerNumber || stored.callerNumber,
    callerName: incoming.callerName ?? stored.callerName,
    calledNumber: stored.calledNumber || incoming.calledNumber,
    startedAt: stored.startedAt < incoming.startedAt ? stored.startedAt : incoming.startedAt,
    answeredAt: stored.answeredAt ?? incoming.answeredAt,
    bridgedAt: stored.bridgedAt ?? incoming.bridgedAt,
    endedAt: incoming.endedAt ?? stored.endedAt,
    hangupCause: incoming.hangupCause ?? stored.hangupCause,
    recordingPath: incoming.recordingPath ?? stored.recordingPath,
    agent: incoming.agent ?? stored.agent,
    variables: { ...stored.variables, ...incoming.variables },
    dtmf: incoming.dtmf.length >= stored.dtmf.length ? incoming.dtmf : stored.dtmf,
  };
}

export function cloneRecord(record: CallRecord): CallRecord {
  return {
    ...record,
    startedAt: new Date(record.startedAt),
    answeredAt: record.answeredAt && new Date(record.answeredAt),
    bridgedAt: record.bridgedAt && new Date(record.bridgedAt),
    endedAt: record.endedAt && new Date(record.endedAt),
    agent: record.agent && { ...record.agent },
    variables: { ...record.variables },
  };
}

/** For tests and the bench. Keeps copies, so later changes to a record never leak in unseen. */
export class InMemoryCallRecordStore implements CallRecordStore {
  private readonly records = new Map<string, CallRecord>();
  /** How many upserts were received, and how many of them created a record. */
  upserts = 0;
  inserts = 0;

  async upsert(record: CallRecord): Promise<void> {
    this.upserts++;
    const stored = this.records.get(record.id);
    if (!stored) this.inserts++;
    this.records.set(record.id, cloneRecord(stored ? mergeRecord(stored, record) : record));
  }

  async closeVanished({ keep, startedBefore, endedAt, cause }: VanishedCalls): Promise<string[]> {
    const closed: string[] = [];
    for (const record of this.records.values()) {
      if (record.endedAt || keep.has(record.id) || record.startedAt >= startedBefore) continue;
      record.endedAt = new Date(endedAt);
      record.hangupCause = cause;
      closed.push(record.id);
    }
    return closed;
  }

  get(id: string): CallRecord | undefined {
    const record = this.records.get(id);
    return record && cloneRecord(record);
  }

  all(): CallRecord[] {
    return [...this.records.values()].map(cloneRecord);
  }

  get size(): number {
    return this.records.size;
  }
}
