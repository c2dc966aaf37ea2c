import { EventEmitter } from 'node:events';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { Database } from '../db/client.js';
import { agentScreenPops, callCases, calls, cases, surveys } from '../db/schema.js';
import { lookups, presentCaseSummary } from '../presenters/case.js';
import { answerableStatuses } from '../surveys/policy.js';

export interface ScreenPopPayload {
  callId: string;
  agent: string;
  callerMasked: string | null;
  citizenId: string | null;
  pastCases: ReturnType<typeof presentCaseSummary>[];
  openSurveys: Array<{ id: string; caseId: string; caseNo: string; status: string }>;
  /** Cases filed during this call so far, oldest first. */
  filedCases: ReturnType<typeof presentCaseSummary>[];
  at: string;
}

/** NOTIFY carries `{agent, callId}` only: a pop with ten past cases would not fit in 8000 bytes. */
const CHANNEL = 'cg_screen_pop';

/**
 * Fans screen-pops out to the agents' open event streams on every instance: the
 * instance that handles the call stores the pop as the agent's current one and
 * notifies; each instance reads it back for its own streams. An agent receives the
 * pops for their own extension; a supervisor's stream may ask for all of them.
 */
export class ScreenPopHub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listening: Promise<unknown> | null = null;

  constructor(private readonly database: Database) {}

  async subscribe(
    filter: { extension: string | null; all: boolean },
    listener: (pop: ScreenPopPayload) => void,
  ): Promise<() => void> {
    await this.hear();
    const wrapped = (pop: ScreenPopPayload) => {
      if (filter.all || (filter.extension && pop.agent === filter.extension)) listener(pop);
    };
    this.emitter.on('pop', wrapped);
    return () => this.emitter.off('pop', wrapped);
  }

  /** Keeps the pop as the agent's current one, then tells every instance. */
  async publish(pop: ScreenPopPayload): Promise<void> {
    const db = this.database.db;
    const row = { callId: pop.callId, payload: pop, updatedAt: new Date() };
    await db
      .insert(agentScreenPops)
      .values({ agent: pop.agent, ...row })
      .onConflictDoUpdate({ target: agentScreenPops.agent, set: row });
    await db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ agent: pop.agent, callId: pop.callId })})`);
  }

  /** The agent's pop while its call is still on, for a stream that has just opened (a reconnect, another instance). */
  async current(agent: string): Promise<ScreenPopPayload | null> {
    const [row] = await this.database.db
      .select({ payload: agentScreenPops.payload })
      .from(agentScreenPops)
      .innerJoin(calls, eq(calls.id, agentScreenPops.callId))
      .where(and(eq(agentScreenPops.agent, agent), isNull(calls.endedAt)));
    return (row?.payload as ScreenPopPayload) ?? null;
  }

  listeners(): number {
    return this.emitter.listenerCount('pop');
  }

  private hear(): Promise<unknown> {
    this.listening ??= this.database
      .listen(CHANNEL, (raw) => void this.deliver(raw).catch(() => {}))
      .catch((err) => {
        this.listening = null;
        throw err;
      });
    return this.listening;
  }

  private async deliver(raw: string): Promise<void> {
    if (!this.listeners()) return;
    const { agent, callId } = JSON.parse(raw) as { agent: string; callId: string };
    const [row] = await this.database.db.select().from(agentScreenPops).where(eq(agentScreenPops.agent, agent));
    // A newer pop for the agent has replaced this one; its own notification follows.
    if (row?.callId !== callId) return;
    this.emitter.emit('pop', row.payload as ScreenPopPayload);
  }
}

/** Builds what the agent sees when a caller is put through: masked number, past cases, open surveys. */
export async function buildScreenPop(services: Services, callId: string, agent: string): Promise<ScreenPopPayload> {
  const db = services.database.db;
  const [call] = await db.select().from(calls).where(eq(calls.id, callId));
  const citizenId = call?.citizenId ?? null;
  const past = citizenId
    ? await db.select().from(cases).where(eq(cases.reporterId, citizenId)).orderBy(desc(cases.createdAt)).limit(10)
    : [];
  const open = citizenId
    ? await db
        .select({ id: surveys.id, caseId: surveys.caseId, caseNo: cases.caseNo, status: surveys.status })
        .from(surveys)
        .innerJoin(cases, eq(cases.id, surveys.caseId))
        .where(and(eq(surveys.citizenId, citizenId), inArray(surveys.status, [...answerableStatuses])))
    : [];
  const filed = await db
    .select({ c: cases })
    .from(callCases)
    .innerJoin(cases, eq(cases.id, callCases.caseId))
    .where(eq(callCases.callId, callId))
    .orderBy(asc(callCases.linkedAt), asc(cases.createdAt));
  const l = await lookups(services);
  return {
    callId,
    agent,
    callerMasked: call?.callerMasked ?? null,
    citizenId,
    pastCases: past.map((c) => presentCaseSummary(c, l)),
    openSurveys: open,
    filedCases: filed.map((r) => presentCaseSummary(r.c, l)),
    at: new Date().toISOString(),
  };
}

/**
 * After a case is filed during a call, the agent's pop is built again (历史案件 and the cases of
 * this call up to date) and pushed, if it is still the agent's current pop.
 */
export async function refreshScreenPop(services: Services, callId: string): Promise<ScreenPopPayload | null> {
  const [row] = await services.database.db
    .select({ agent: agentScreenPops.agent })
    .from(agentScreenPops)
    .where(eq(agentScreenPops.callId, callId));
  if (!row) return null;
  const pop = await buildScreenPop(services, callId, row.agent);
  await services.screenPops.publish(pop);
  return pop;
}
