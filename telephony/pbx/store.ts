import type { CallRecord } from './types.js';

/**
 * Where call records go. The server implements it on PostgreSQL. upsert is called
 * with the whole record after every change, so it must be idempotent per record.id:
 * insert the first time, overwrite after (resync never duplicates a record).
 */
export interface CallRecordStore {
  upsert(record: CallRecord): Promise<void>;
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
    if (!this.records.has(record.id)) this.inserts++;
    this.records.set(record.id, cloneRecord(record));
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
