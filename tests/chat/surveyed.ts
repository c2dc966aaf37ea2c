import { expect } from 'vitest';
import type { TestContext } from '../helpers/context.js';
import { transition } from '../helpers/factories.js';
import { surveys } from '../../server/db/schema.js';

/** Takes a case reported in chat to 回访 and leaves a chat survey waiting for the reporter, as the survey job would. */
export async function chatSurveyWaiting(
  t: TestContext,
  token: string,
  kase: { id: string; reporterId: string | null },
  note: string,
) {
  for (const step of [
    { action: 'dispatch' },
    { action: 'accept' },
    { action: 'resolve', note },
    { action: 'check_pass' },
  ]) {
    expect((await transition(t, token, kase.id, step)).status).toBe(200);
  }
  const [survey] = await t.services.database.db
    .insert(surveys)
    .values({ caseId: kase.id, citizenId: kase.reporterId!, round: 0, channel: 'chat', status: 'waiting', attempts: 1 })
    .returning();
  return survey;
}
