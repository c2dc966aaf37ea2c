import type { Database } from '../db/client.js';

/** Announced by the 0016 triggers, with the case's id, at the commit of any change to a case or its timeline. */
const CHANNEL = 'cg_public_case';
/** Enough for the cases citizens are checking at once; an answer is a few hundred bytes. */
const MAX_ENTRIES = 5_000;
/** A case marked as changing whose NOTIFY never came (its transaction rolled back) is cached again after this. */
const CHANGING_MS = 10_000;

interface Entry {
  caseId: string;
  /** The category and area tables the answer was presented with: an edit of either replaces them. */
  places: readonly object[];
  json: string;
}

/** Every cache in this process (tests open several databases in one), held weakly. */
const caches = new Set<WeakRef<PublicCaseCache>>();

/**
 * Called inside a transaction that changes a case: until its NOTIFY arrives (at commit), this
 * process answers that case from the database. The NOTIFY reaches our own listener a moment after
 * the commit; without this mark a read sent right after the change's response could still get
 * the old answer from this instance.
 */
export function markPublicCaseChanging(caseId: string): void {
  for (const ref of caches) {
    const cache = ref.deref();
    if (cache) cache.changing(caseId);
    else caches.delete(ref);
  }
}

/**
 * The public lookup's presented answers, by case number, for one database. An answer is kept
 * only while this instance hears the database's notifications: every change to a case or its
 * events is announced to every instance at commit (migration 0016), and drops the case here.
 * A read that began before a change never stores its (possibly older) answer.
 */
export class PublicCaseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly caseNoOf = new Map<string, string>();
  private readonly marked = new Map<string, number>();
  /** Bumped by every drop: a load that saw a bump while it ran may be older than the drop. */
  private epoch = 0;
  private live = false;
  private listening: Promise<unknown> | null = null;

  private readonly ref = new WeakRef(this);

  constructor(private readonly database: Pick<Database, 'listen'>) {
    caches.add(this.ref);
  }

  async read(
    caseNo: string,
    places: readonly object[],
    load: () => Promise<{ caseId: string; json: string } | null>,
  ): Promise<string | null> {
    void this.ready();
    const entry = this.entries.get(caseNo);
    if (entry && this.usable(entry, places)) {
      // Least recently read goes first when full.
      this.entries.delete(caseNo);
      this.entries.set(caseNo, entry);
      return entry.json;
    }
    const epoch = this.epoch;
    const loaded = await load();
    if (!loaded) return null;
    if (this.live && epoch === this.epoch && !this.isMarked(loaded.caseId)) this.store(caseNo, { ...loaded, places });
    return loaded.json;
  }

  /** Resolves once notifications are heard (answers are kept from then on), or listening failed. */
  ready(): Promise<unknown> {
    return (this.listening ??= this.listen());
  }

  changing(caseId: string): void {
    const now = Date.now();
    // Marks of rolled-back changes get no NOTIFY to clear them: forget the expired ones now and then.
    if (this.marked.size >= MAX_ENTRIES)
      for (const [id, at] of this.marked) if (now - at >= CHANGING_MS) this.marked.delete(id);
    this.marked.set(caseId, now);
    this.drop(caseId);
  }

  private usable(entry: Entry, places: readonly object[]): boolean {
    return (
      this.live &&
      !this.isMarked(entry.caseId) &&
      entry.places.length === places.length &&
      entry.places.every((p, i) => p === places[i])
    );
  }

  private isMarked(caseId: string): boolean {
    const at = this.marked.get(caseId);
    if (at === undefined) return false;
    if (Date.now() - at < CHANGING_MS) return true;
    this.marked.delete(caseId);
    return false;
  }

  private store(caseNo: string, entry: Entry): void {
    const previous = this.entries.get(caseNo);
    if (previous) this.caseNoOf.delete(previous.caseId);
    this.entries.set(caseNo, entry);
    this.caseNoOf.set(entry.caseId, caseNo);
    if (this.entries.size > MAX_ENTRIES) {
      const [oldest, old] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.caseNoOf.delete(old.caseId);
    }
  }

  private drop(caseId: string): void {
    this.epoch++;
    const caseNo = this.caseNoOf.get(caseId);
    if (caseNo === undefined) return;
    this.caseNoOf.delete(caseId);
    this.entries.delete(caseNo);
  }

  private clear(): void {
    this.epoch++;
    this.entries.clear();
    this.caseNoOf.clear();
  }

  private async listen(): Promise<void> {
    try {
      await this.database.listen(
        CHANNEL,
        (caseId) => {
          // The marking change has committed. (Rarely this is the NOTIFY of the change before it,
          // still on its way when the next one marked: two changes of one case a moment apart.)
          this.marked.delete(caseId);
          this.drop(caseId);
        },
        (listening) => {
          // Notifications missed while the connection was down: nothing kept from before can be trusted.
          this.clear();
          this.live = listening;
        },
      );
      this.live = true;
    } catch {
      // Without notifications the cache stays off and every read goes to the database.
    }
  }
}
