import type { SQL, SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { joinStatements, render, runStatement, type Statement } from './statementText.js';
import type { EndWith } from './transaction.js';

/** A drizzle query, or a statement already as text and values (statementText.ts). */
export type HeldPart = SQLWrapper | Statement;

const isStatement = (part: HeldPart | SQL): part is Statement =>
  typeof (part as Statement).text === 'string' && Array.isArray((part as Statement).values);
const asStatement = (part: HeldPart | SQL): Statement => (isStatement(part) ? part : render(part));

/** `select count(pg_notify(c, p))` over n channel/payload pairs: one text per n. */
const notesTexts: string[] = [];
function notesText(n: number): string {
  return (notesTexts[n] ??= `select count(pg_notify(c, p)) as n from (values ${Array.from(
    { length: n },
    (_, i) => `($${2 * i + 1}::text, $${2 * i + 2}::text)`,
  ).join(', ')}) v(c, p)`);
}

/**
 * Writes inside a transaction whose answers nobody reads (history rows, job rows, NOTIFYs), held
 * back and sent with a later statement of the same transaction as its data-modifying CTEs: one
 * round trip for all of them instead of one each. They commit or roll back with the transaction
 * exactly as if each had been sent on its own; only a write whose answer is needed cannot wait.
 * Held writes see the snapshot of the statement that carries them, so none may depend on
 * another's effect (inserts into different rows, as here). Writes are kept as text and values
 * (statementText.ts): the combined statement's text is the same for the same writes whatever their
 * values, and runs as a named statement on PostgreSQL.
 */
export class HeldWrites {
  private writes: Statement[] = [];
  private notes: Array<[string, string]> = [];

  write(statement: HeldPart): void {
    this.writes.push(asStatement(statement));
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
   * Given `end` (db/transaction.ts), the statement is the transaction's last and ends it.
   */
  async send<T = Record<string, unknown>>(
    tx: DbOrTx,
    last?: { ctes?: Array<SQL | Statement>; statement: SQL | Statement },
    end?: EndWith,
  ): Promise<T[]> {
    const run = end ?? (<R>(statement: Statement) => runStatement<R>(tx, statement));
    if (this.empty && !last) return [];
    const parts: Array<string | Statement> = ['with '];
    this.writes.forEach((w, i) => parts.push(`held_${i} as (`, w, '), '));
    parts.push(
      'held_notes as (',
      this.notes.length ? { text: notesText(this.notes.length), values: this.notes.flat() } : 'select 0 as n',
      ')',
    );
    this.writes = [];
    this.notes = [];
    if (!last) {
      parts.push(' select n from held_notes');
      await run(joinStatements(parts));
      return [];
    }
    for (const cte of last.ctes ?? []) parts.push(', ', asStatement(cte));
    // held_notes on the left of the join: scanned (and so its NOTIFYs sent) even when `last` returns no row.
    parts.push(
      ', held_last as (',
      asStatement(last.statement),
      `), held_rows as (select true as held_present, held_last.* from held_last)
          select held_rows.* from held_notes left join held_rows on true`,
    );
    const rows = await run<T & { held_present: boolean | null }>(joinStatements(parts));
    return rows.filter((r) => r.held_present).map(({ held_present: _, ...row }) => row as T);
  }
}
