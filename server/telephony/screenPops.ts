import { EventEmitter } from 'node:events';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Services } from '../context.js';
import { calls, cases, surveys } from '../db/schema.js';
import { lookups, presentCaseSummary } from '../presenters/case.js';
import { answerableStatuses } from '../surveys/policy.js';

export interface ScreenPopPayload {
  callId: string;
  agent: string;
  callerMasked: string | null;
  citizenId: string | null;
  pastCases: ReturnType<typeof presentCaseSummary>[];
  openSurveys: Array<{ id: string; caseId: string; caseNo: string; status: string }>;
  at: string;
}

/**
 * Fans screen-pops out to the agents' open event streams. An agent receives the
 * pops for their own extension; a supervisor's stream may ask for all of them.
 */
export class ScreenPopHub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  subscribe(filter: { extension: string | null; all: boolean }, listener: (pop: ScreenPopPayload) => void): () => void {
    const wrapped = (pop: ScreenPopPayload) => {
      if (filter.all || (filter.extension && pop.agent === filter.extension)) listener(pop);
    };
    this.emitter.on('pop', wrapped);
    return () => this.emitter.off('pop', wrapped);
  }

  publish(pop: ScreenPopPayload): void {
    this.emitter.emit('pop', pop);
  }

  listeners(): number {
    return this.emitter.listenerCount('pop');
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
  const l = await lookups(services);
  return {
    callId,
    agent,
    callerMasked: call?.callerMasked ?? null,
    citizenId,
    pastCases: past.map((c) => presentCaseSummary(c, l)),
    openSurveys: open,
    at: new Date().toISOString(),
  };
}
