import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { caseCounters } from '../db/schema.js';
import { localDate } from './calendar.js';

/**
 * 13 digits: the Asia/Shanghai date and a 5-digit daily sequence
 * (2026112100001). Sortable, and read aloud digit by digit on the phone. The
 * counter row is locked by the upsert, so concurrent intakes never share one.
 */
export async function nextCaseNo(tx: DbOrTx, at = new Date()): Promise<string> {
  const day = localDate(at).replaceAll('-', '');
  const [row] = await tx
    .insert(caseCounters)
    .values({ day, last: 1 })
    .onConflictDoUpdate({ target: caseCounters.day, set: { last: sql`${caseCounters.last} + 1` } })
    .returning({ last: caseCounters.last });
  if (row.last > 99_999) throw new Error(`more than 99999 cases on ${day}`);
  return `${day}${String(row.last).padStart(5, '0')}`;
}

export const CASE_NO = /^\d{13}$/;
