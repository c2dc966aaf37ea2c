import { and, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { PhoneVault } from '../lib/phone.js';
import { calls } from '../db/schema.js';
import { resolveCitizen } from '../citizens/resolve.js';
import { isPhone, maskPhone } from '../lib/phone.js';
import type { CallRecord, CallRecordStore, VanishedCalls } from '../../telephony/index.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Call records on PostgreSQL, linked to the citizen by the caller's number. The
 * PBX layer upserts the whole record after every change, so this is an upsert by
 * call id: a resync after a reconnect never makes a second row. It merges as
 * telephony's mergeRecord does: a process that restarts mid-call rebuilds the record
 * from the PBX's channel list, and must not lose the first answer and bridge times,
 * the agent, the number first dialled or the recording.
 */
export class DbCallRecordStore implements CallRecordStore {
  constructor(private readonly deps: { database: Database; phones: PhoneVault; config: Config }) {}

  async upsert(r: CallRecord): Promise<void> {
    const { database, phones, config } = this.deps;
    const citizenNumber = r.direction === 'inbound' ? r.callerNumber : r.calledNumber;
    const known = isPhone(citizenNumber) && !config.hotlineNumbers.includes(citizenNumber);
    const citizen = known ? await resolveCitizen(database.db, phones, { phone: citizenNumber }) : null;
    const caseId = uuid.test(r.variables.case_id ?? '') ? r.variables.case_id : null;
    const row = {
      direction: r.direction,
      callerHash: known ? phones.hash(citizenNumber) : null,
      callerMasked: known ? maskPhone(citizenNumber) : null,
      calledNumber: r.direction === 'inbound' ? r.calledNumber : maskPhone(r.calledNumber),
      citizenId: citizen?.id ?? null,
      agent: r.agent?.extension ?? null,
      startedAt: r.startedAt,
      answeredAt: r.answeredAt,
      bridgedAt: r.bridgedAt,
      endedAt: r.endedAt,
      hangupCause: r.hangupCause,
      recordingPath: r.recordingPath,
      // Channel variables can carry the number again (e.g. caller_id_number): keep only what we use.
      variables: {
        case_id: r.variables.case_id ?? null,
        case_no: r.variables.case_no ?? null,
        dtmf: r.dtmf ? r.dtmf.replace(/./g, '*') : '',
      },
      updatedAt: new Date(),
    };
    const keep = <T>(column: { name: string }, value: T) =>
      value === null || value === undefined ? sql.raw(`calls.${column.name}`) : sql`${value}`;
    await database.db
      .insert(calls)
      .values({ id: r.id, ...row, ...(caseId ? { caseId } : {}) })
      .onConflictDoUpdate({
        target: calls.id,
        set: {
          ...row,
          ...(caseId ? { caseId } : {}),
          callerHash: keep(calls.callerHash, row.callerHash),
          callerMasked: keep(calls.callerMasked, row.callerMasked),
          citizenId: keep(calls.citizenId, row.citizenId),
          calledNumber: sql`coalesce(nullif(calls.called_number, ''), ${row.calledNumber})`,
          agent: keep(calls.agent, row.agent),
          startedAt: sql`least(calls.started_at, ${row.startedAt})`,
          answeredAt: sql`coalesce(calls.answered_at, ${row.answeredAt})`,
          bridgedAt: sql`coalesce(calls.bridged_at, ${row.bridgedAt})`,
          endedAt: keep(calls.endedAt, row.endedAt),
          hangupCause: keep(calls.hangupCause, row.hangupCause),
          recordingPath: keep(calls.recordingPath, row.recordingPath),
        },
      });
  }

  /** One statement: the open rows another process left, started before the PBX's channel list was taken. */
  async closeVanished({ keep, startedBefore, endedAt, cause }: VanishedCalls): Promise<string[]> {
    const open = and(isNull(calls.endedAt), lt(calls.startedAt, startedBefore));
    const closed = await this.deps.database.db
      .update(calls)
      .set({ endedAt, hangupCause: cause, updatedAt: new Date() })
      .where(keep.size ? and(open, notInArray(calls.id, [...keep])) : open)
      .returning({ id: calls.id });
    return closed.map((row) => row.id);
  }
}
