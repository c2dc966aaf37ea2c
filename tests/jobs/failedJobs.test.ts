import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { until } from '../helpers/wait.js';
import type { NotifyJob } from '../../server/notifications/send.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('jobs that exhaust their retries', () => {
  it('are listed for supervisors with their error and can be retried by hand', async () => {
    const jobs = t.services.jobs!;
    let attempts = 0;
    let healthy = false;
    await jobs.work('notify-citizen', async () => {
      attempts++;
      if (!healthy) throw new Error('微信接口不可用');
    });
    const data: NotifyJob = { kind: 'registered', caseId: randomUUID(), citizenId: randomUUID(), dedupeKey: 'fails' };
    const id = await t.services.database.db.transaction((tx) =>
      jobs.enqueue(tx, 'notify-citizen', data, { retryLimit: 1, retryDelay: 1, retryBackoff: false }),
    );
    const sup = await t.login('supervisor');
    const list = () => t.http().get('/api/jobs/failed').set('Authorization', `Bearer ${sup}`);
    await until(async () => (await list()).body.items.some((j: { id: string }) => j.id === id));
    const item = (await list()).body.items.find((j: { id: string }) => j.id === id);
    expect(item).toMatchObject({
      queue: 'notify-citizen',
      error: '微信接口不可用',
      attempts: 2,
      data,
    });
    expect(attempts).toBe(2);

    const agent = await t.login('agent');
    expect((await t.http().get('/api/jobs/failed').set('Authorization', `Bearer ${agent}`)).status).toBe(403);

    healthy = true;
    const retry = await t.http().post(`/api/jobs/notify-citizen/${id}/retry`).set('Authorization', `Bearer ${sup}`);
    expect(retry.status).toBe(202);
    await until(async () => !(await list()).body.items.some((j: { id: string }) => j.id === id) && attempts === 3);
    const again = await t.http().post(`/api/jobs/notify-citizen/${id}/retry`).set('Authorization', `Bearer ${sup}`);
    expect(again.status).toBe(409);
  }, 60_000);
});
