import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestContext } from '../helpers/context.js';
import { fileReport, north, places, transition, type ReportOverrides } from '../helpers/factories.js';
import { cases, surveys } from '../../server/db/schema.js';
import type { JobPayloads, QueueName } from '../../server/jobs/queues.js';

/** A Beijing wall-clock time. */
export const at = (local: string) => new Date(`${local}+08:00`);

let offset = 0;
/** A fresh spot for each case, so reports only merge when a test wants them to. */
export const spot = (base = places.wangJiang) => north(base, 200 + 150 * offset++);

export type Tokens = Record<'agent' | 'supervisor' | 'szss' | 'admin', string>;

export async function tokens(t: TestContext): Promise<Tokens> {
  return {
    agent: await t.login('agent'),
    supervisor: await t.login('supervisor'),
    szss: await t.login('szss'),
    admin: await t.login('admin'),
  };
}

/** Walks a case from 派遣 to 回访 over HTTP, as the department and the supervisor would. */
export async function disposeAndCheck(t: TestContext, tok: Tokens, caseId: string) {
  const detail = await t.http().get(`/api/cases/${caseId}`).set('Authorization', `Bearer ${tok.supervisor}`);
  if (detail.body.case.state === '立案')
    expect((await transition(t, tok.supervisor, caseId, { action: 'dispatch' })).status).toBe(200);
  const state = async () =>
    (await t.http().get(`/api/cases/${caseId}`).set('Authorization', `Bearer ${tok.supervisor}`)).body.case.state;
  if ((await state()) === '派遣')
    expect((await transition(t, tok.szss, caseId, { action: 'accept' })).status).toBe(200);
  expect((await transition(t, tok.szss, caseId, { action: 'resolve', note: '已更换井盖并加固' })).status).toBe(200);
  const passed = await transition(t, tok.supervisor, caseId, { action: 'check_pass' });
  expect(passed.body.case.state).toBe('回访');
  return passed.body.case;
}

/** A hotline report (agent-filed) walked to 回访. */
export async function caseInSurvey(t: TestContext, tok: Tokens, o: ReportOverrides = {}) {
  const c = await fileReport(t, tok.agent, { location: spot(), phone: '13900000001', ...o });
  await disposeAndCheck(t, tok, c.id);
  return c;
}

export async function surveysOf(t: TestContext, caseId: string) {
  return t.services.database.db
    .select()
    .from(surveys)
    .where(eq(surveys.caseId, caseId))
    .orderBy(surveys.round, surveys.createdAt, surveys.id);
}

export async function caseRow(t: TestContext, caseId: string) {
  const [row] = await t.services.database.db.select().from(cases).where(eq(cases.id, caseId));
  return row;
}

/** Runs every job now due on a queue through `handler`, as a worker would; returns how many ran. */
export async function drain<Q extends QueueName>(
  t: TestContext,
  queue: Q,
  handler: (data: JobPayloads[Q]) => Promise<unknown>,
): Promise<number> {
  const boss = t.services.jobs!.boss;
  let ran = 0;
  for (;;) {
    const jobs = await boss.fetch<JobPayloads[Q]>(queue, { batchSize: 50 });
    if (!jobs.length) return ran;
    for (const job of jobs) {
      await handler(job.data);
      await boss.complete(queue, job.id);
      ran++;
    }
  }
}
