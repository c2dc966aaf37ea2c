import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Bench-only accounting of database round trips per HTTP request (DB_STATEMENT_COUNT=true):
 * the database client notes each statement it sends, the request middleware reads the total.
 */
const current = new AsyncLocalStorage<{ statements: number }>();

export function noteStatement(): void {
  const tally = current.getStore();
  if (tally) tally.statements++;
}

export async function countingStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const tally = { statements: 0 };
  const result = await current.run(tally, work);
  return { result, statements: tally.statements };
}
