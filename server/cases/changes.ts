import type { Services } from '../context.js';
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client.js';
import type { HeldWrites } from '../db/heldWrites.js';
import { markPublicCaseChanging } from './publicCaseCache.js';

/** NOTIFY inside the change's transaction: PostgreSQL delivers it at commit, and never for a rollback. */
const CHANNEL = 'cg_case_changed';

export async function announceCaseChange(tx: DbOrTx, caseId: string, held?: HeldWrites): Promise<void> {
  markPublicCaseChanging(caseId);
  if (held) held.notify(CHANNEL, caseId);
  else await tx.execute(sql`select pg_notify(${CHANNEL}, ${caseId})`);
}

/**
 * Tells this instance's open inbox streams that some case changed, on whichever instance it
 * changed; each stream then recounts its own inboxes.
 */
/** The case-change hub of the service's database. */
export const caseChangesOf = (services: Pick<Services, 'database'>) => new CaseChangeHub(services.database);

export class CaseChangeHub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listening: Promise<unknown> | null = null;

  constructor(private readonly database: Database) {}

  async subscribe(listener: () => void): Promise<() => void> {
    this.listening ??= this.database
      .listen(CHANNEL, () => this.emitter.emit('changed'))
      .catch((err) => {
        this.listening = null;
        throw err;
      });
    await this.listening;
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }
}
