import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { Statement } from '../db/statementText.js';
import { caseCounters } from '../db/schema.js';
import { localDate } from './calendar.js';

/**
 * A megacity's busiest day: Beijing's 12345 averages about 66,000 requests a day. The limit (999,999) is
 * the `case_counters_daily_limit` check (migration 0024): a statement taking a number past it fails.
 */

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
  return `${day}${String(row.last).padStart(5, '0')}`;
}

/**
 * Numbering inside the statement that inserts the case: `cte`, the day's counter upsert named
 * `case_no_counter`, goes first among that statement's CTEs; the case's `case_no` is given as `day`
 * and wrapped in `expression` (`insertStatement`'s `wrap`), which appends the counter's value; the
 * counter row stays locked from that statement to the commit; an intake opens its case with its last
 * statement and sends its COMMIT right behind it (db/transaction.ts; only a consultation's answer or an
 * automatic dispatch follow it, and then commit after them), so concurrent intakes queue on it for that
 * statement and the commit. Same numbers, same guarantees as `nextCaseNo`: a rolled-back intake rolls
 * its increment back, a duplicate attached to a case takes none.
 */
export function caseNumbering(at = new Date()): { day: string; cte: Statement; expression: string } {
  const day = localDate(at).replaceAll('-', '');
  return {
    day,
    cte: {
      text: `case_no_counter as (
        insert into case_counters (day, last) values ($1, 1)
        on conflict (day) do update set last = case_counters.last + 1
        returning last)`,
      values: [day],
    },
    expression: `(? || (select repeat('0', greatest(0, 5 - length(last::text))) || last::text from case_no_counter))`,
  };
}

export const CASE_NO = /^\d{13,14}$/;
