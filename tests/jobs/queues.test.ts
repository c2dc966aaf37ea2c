import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { backend, createTestDatabase } from '../helpers/db.js';
import { until } from '../helpers/wait.js';
import { caseInSurvey, surveysOf, tokens, type Tokens } from '../surveys/helpers.js';
import { startJobs } from '../../server/jobs/boss.js';
import { DEAD_LETTER_QUEUE, queuePolicies, type QueueName } from '../../server/jobs/queues.js';
import { startWorkers } from '../../server/wiring.js';

const silent = pino({ level: 'silent' });

let t: TestContext;
let tok: Tokens;
beforeAll(async () => {
  t = await createTestContext({ env: { DELIVERY_RETRY_LIMIT: '3', DELIVERY_RETRY_DELAY_SECONDS: '7' } });
  tok = await tokens(t);
});
afterAll(() => t.close());

async function queueRow(executor: TestContext['services']['database']['executor'], name: string) {
  const { rows } = await executor.executeSql(
    `select retry_limit, retry_delay, retry_backoff, dead_letter from pgboss.queue where name = $1`,
    [name],
  );
  return rows[0];
}

async function jobsOf(caseId: string): Promise<string[]> {
  const { rows } = await t.services.database.executor.executeSql(
    `select name from pgboss.job where data->>'caseId' = $1 order by created_on, name`,
    [caseId],
  );
  return rows.map((r) => String(r.name));
}

describe(`queues on ${backend}`, () => {
  it('are created at start with their one retry policy, forwarding read from the settings', async () => {
    const policies = queuePolicies(t.config);
    for (const name of Object.keys(policies) as QueueName[]) {
      expect(await queueRow(t.services.database.executor, name)).toEqual({
        retry_limit: policies[name].retryLimit,
        retry_delay: policies[name].retryDelay,
        retry_backoff: policies[name].retryBackoff,
        dead_letter: DEAD_LETTER_QUEUE,
      });
    }
    expect(policies['deliver-to-department']).toMatchObject({ retryLimit: 3, retryDelay: 7 });
  });

  it('are brought to changed settings at the next start', async () => {
    const database = await createTestDatabase();
    try {
      const first = await startJobs(database, silent, { DELIVERY_RETRY_LIMIT: 2, DELIVERY_RETRY_DELAY_SECONDS: 4 });
      await first.stop();
      const second = await startJobs(database, silent, { DELIVERY_RETRY_LIMIT: 6, DELIVERY_RETRY_DELAY_SECONDS: 9 });
      // A job sent without retry options takes its queue's policy as it stands now.
      const id = await second.enqueue(database.db, 'deliver-to-department', { deliveryId: 'policy-check' });
      const { rows } = await database.executor.executeSql(
        `select retry_limit, retry_delay, retry_backoff from pgboss.job where id = $1`,
        [id],
      );
      await second.stop();
      expect(await queueRow(database.executor, 'deliver-to-department')).toMatchObject({
        retry_limit: 6,
        retry_delay: 9,
      });
      expect(rows[0]).toEqual({ retry_limit: 6, retry_delay: 9, retry_backoff: true });
    } finally {
      await database.close();
    }
  }, 120_000);
});

describe(`the way into 回访 on ${backend}`, () => {
  it('sends open-survey-round in the transition, with no schedule-survey hop', async () => {
    const c = await caseInSurvey(t, tok);
    const names = await jobsOf(c.id);
    expect(names.filter((n) => n === 'open-survey-round')).toHaveLength(1);
    expect(names).not.toContain('schedule-survey');
  });

  it('still works the retired schedule-survey queue, so jobs a live database queued before still open the round', async () => {
    const c = await caseInSurvey(t, tok);
    // As a database from before the change holds it: the round's job in the retired queue only.
    await t.services.database.executor.executeSql(
      `delete from pgboss.job where name = 'open-survey-round' and data->>'caseId' = $1`,
      [c.id],
    );
    await t.services.jobs!.enqueue(t.services.database.db, 'schedule-survey', { caseId: c.id });
    expect(await surveysOf(t, c.id)).toHaveLength(0);
    const runtime = await startWorkers(t.services);
    try {
      await until(async () => (await surveysOf(t, c.id)).length > 0, 20_000, 'the retired queue to open the round');
    } finally {
      await runtime.stop();
    }
    expect((await surveysOf(t, c.id)).map((s) => s.round)).toEqual([0]);
  });
});
