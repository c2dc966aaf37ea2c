import type { Database, DbOrTx } from './client.js';

/** Sent at commit by a statement trigger on each cached table (migration 0015), with the table's name. */
const CHANNEL = 'cg_reference_changed';

/** A further guard, should a notification be lost in a way the listening connection does not report. */
const MAX_AGE_MS = 60_000;

/**
 * A reference table read on every intake (the 指挥手册's routing rules), kept in memory instead
 * of read in each transaction. Any write to the table, by any instance, by the admin API or by
 * hand in SQL, drops every instance's copy at its commit; the next read loads it afresh.
 */
export class ReferenceCache<T> {
  private value: Promise<T> | null = null;
  private loadedAt = 0;
  private listening: Promise<unknown> | null = null;
  /** False while the listening connection is down: a change made meanwhile would go unheard, so nothing is reused. */
  private live = true;

  constructor(
    private readonly database: Database,
    private readonly table: string,
    private readonly load: (db: DbOrTx) => Promise<T>,
  ) {
    // From the start, not on the first read: that read may come inside a transaction, and PGlite's one
    // connection would wait for the transaction before it could LISTEN.
    this.listen().catch(() => {});
  }

  private listen(): Promise<unknown> {
    this.listening ??= this.database
      .listen(
        CHANNEL,
        (payload) => {
          if (payload === this.table) this.invalidate();
        },
        (listening) => {
          // Down: changes may be missed from now on; back: some may have been missed meanwhile.
          this.live = listening;
          this.invalidate();
        },
      )
      .catch((err) => {
        this.listening = null;
        throw err;
      });
    return this.listening;
  }

  /** `db`: the caller's transaction, if it is in one (PGlite has a single connection, which the transaction holds). */
  async get(db: DbOrTx = this.database.db): Promise<T> {
    await this.listen();
    if (!this.value || !this.live || Date.now() - this.loadedAt > MAX_AGE_MS) {
      const loading = this.load(db);
      this.value = loading;
      this.loadedAt = Date.now();
      loading.catch(() => {
        if (this.value === loading) this.value = null;
      });
    }
    return this.value;
  }

  /** This instance's own edits drop the copy at once, not when their notification comes back. */
  invalidate(): void {
    this.value = null;
  }
}
