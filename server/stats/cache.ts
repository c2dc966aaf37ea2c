/**
 * Reports of past periods, kept in this process. A past period's figures change only when
 * a case received in it changes (a late survey answer, a department reassigned); the
 * refresh that sees such a change drops every report whose period holds the case's day.
 * Another instance's refresh is not seen here, so an entry also expires after a while.
 */
export class PastPeriods<T> {
  private readonly entries = new Map<string, { from: string; to: string; at: number; value: T }>();

  constructor(
    private readonly maxEntries = 200,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, from: string, to: string, value: T): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { from, to, at: Date.now(), value });
  }

  /** Drops the reports whose period overlaps these local days. */
  invalidate(firstDay: string, lastDay: string): void {
    for (const [key, e] of this.entries) if (e.from <= lastDay && e.to >= firstDay) this.entries.delete(key);
  }
}
