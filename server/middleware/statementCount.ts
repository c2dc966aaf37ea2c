import type { Context, Next } from 'koa';
import { countingStatements } from '../db/statements.js';

/** Bench only (DB_STATEMENT_COUNT): X-DB-Statements tells how many database round trips the request took. */
export function statementCount() {
  return async (ctx: Context, next: Next) => {
    const { statements } = await countingStatements(next);
    ctx.set('X-DB-Statements', String(statements));
  };
}
