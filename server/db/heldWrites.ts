import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from './client.js';

/**
 * Writes inside a transaction whose answers nobody reads (history rows, job rows, NOTIFYs), held
 * back and sent with a later statement of the same transaction as its data-modifying CTEs: one
 * round trip for all of them instead of one each. They commit or roll back with the transaction
 * exactly as if each had been sent on its own; only a write whose answer is needed cannot wait.
 * Held writes see the snapshot of the statement that carries them, so none may depend on
 * another's effect (inserts into different rows, as here).
 */
export class HeldWrites {
  private writes: SQL[] = [];
  private notes: Array<[string, string]> = [];

  write(statement: SQLWrapper): void {
    this.writes.push(statement.getSQL());
  }

  /** pg_notify at commit; PostgreSQL folds repeats of one channel and payload, so we do too. */
  notify(channel: string, payload: string): void {
    if (!this.notes.some(([c, p]) => c === channel && p === payload)) this.notes.push([channel, payload]);
  }

  get empty(): boolean {
    return !this.writes.length && !this.notes.length;
  }

  /**
   * Sends everything held, in one statement with `last` (a statement with RETURNING or a SELECT,
   * preceded by its own top-level CTEs in `ctes`, each `name as (…)`), and returns `last`'s rows.
   */
  async send<T = Record<string, unknown>>(tx: DbOrTx, last?: { ctes?: SQL[]; statement: SQL }): Promise<T[]> {
    if (this.empty && !last) return [];
    const ctes = this.writes.map((w, i) => sql`${sql.raw(`held_${i}`)} as (${w})`);
    const notes = this.notes.length
      ? sql`select count(pg_notify(c, p)) as n from (values ${sql.join(
          this.notes.map(([c, p]) => sql`(${c}::text, ${p}::text)`),
          sql`, `,
        )}) v(c, p)`
      : sql`select 0 as n`;
    ctes.push(sql`held_notes as (${notes})`);
    this.writes = [];
    this.notes = [];
    if (!last) {
      await tx.execute(sql`with ${sql.join(ctes, sql`, `)} select n from held_notes`);
      return [];
    }
    // held_notes on the left of the join: scanned (and so its NOTIFYs sent) even when `last` returns no row.
    const all = [...ctes, ...(last.ctes ?? []), sql`held_last as (${last.statement})`];
    const rows = rowsOf<T & { held_present: boolean | null }>(
      await tx.execute(
        sql`with ${sql.join(all, sql`, `)}, held_rows as (select true as held_present, held_last.* from held_last)
          select held_rows.* from held_notes left join held_rows on true`,
      ),
    );
    return rows.filter((r) => r.held_present).map(({ held_present: _, ...row }) => row as T);
  }
}
