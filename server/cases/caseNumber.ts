import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { HeldWrites } from '../db/heldWrites.js';
import { caseCounters } from '../db/schema.js';
import { localDate } from './calendar.js';

/** A megacity's busiest day: Beijing's 12345 averages about 66,000 requests a day. */
const DAILY_LIMIT = 999_999;

/**
 * The Asia/Shanghai date and a daily sequence of at least 5 digits: 13 digits
 * (2026112100001) on an ordinary day, 14 from the 100,000th case of a day
 * (20261121100000). Read aloud digit by digit on the phone. Taken inside the
 * transaction that opens the case, after the duplicate check: the counter row
 * stays locked until commit, so numbers are neither shared nor lost to
 * merged duplicates or rolled-back intakes.
 */
export async function nextCaseNo(tx: DbOrTx, at = new Date()): Promise<string> {
  const day = localDate(at).replaceAll('-', '');
  const [row] = await tx
    .insert(caseCounters)
    .values({ day, last: 1 })
    .onConflictDoUpdate({ target: caseCounters.day, set: { last: sql`${caseCounters.last} + 1` } })
    .returning({ last: caseCounters.last });
  if (row.last > DAILY_LIMIT) throw new Error(`more than ${DAILY_LIMIT} cases on ${day}`);
  return `${day}${String(row.last).padStart(5, '0')}`;
}

/** A stand-in number no caller outside the opening transaction ever sees: `numberCase` replaces it before commit. */
export const provisionalCaseNo = () => `pending:${randomUUID()}`;

/**
 * Numbers a case opened with a provisional number, as the last statement before its transaction
 * commits: the day's counter row is locked only from here to the commit, instead of across the whole
 * intake, so concurrent intakes queue on it for one round trip. One statement: the counter upsert and
 * the case's update together, carrying the transaction's `held` writes with them. Same numbers, same
 * guarantees as `nextCaseNo`.
 */
export async function numberCase(
  tx: DbOrTx,
  caseId: string,
  held = new HeldWrites(),
  at = new Date(),
): Promise<string> {
  const day = localDate(at).replaceAll('-', '');
  const [row] = await held.send<{ last: number; caseNo: string }>(tx, {
    ctes: [
      {
        text: `n as (
        insert into case_counters (day, last) values ($1, 1)
        on conflict (day) do update set last = case_counters.last + 1
        returning last)`,
        values: [day],
      },
    ],
    statement: {
      text: `
      update cases set case_no = $1 || repeat('0', greatest(0, 5 - length(n.last::text))) || n.last::text
      from n where cases.id = $2
      returning n.last as last, cases.case_no as "caseNo"`,
      values: [day, caseId],
    },
  });
  if (Number(row.last) > DAILY_LIMIT) throw new Error(`more than ${DAILY_LIMIT} cases on ${day}`);
  return row.caseNo;
}

export const CASE_NO = /^\d{13,14}$/;
