import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { calls, reports } from '../../server/db/schema.js';
import { sweepRetention } from '../../server/retention/sweep.js';

let t: TestContext;
const recordings = mkdtempSync(path.join(tmpdir(), 'cg-rec-'));

beforeAll(async () => {
  t = await createTestContext({
    jobs: false,
    env: { RETENTION_RAW_DAYS: '30', RECORDING_RETENTION_DAYS: '90', RECORDINGS_DIR: recordings },
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('retention', () => {
  it('drops raw payloads and recordings past their settings, keeps the rest, and does nothing twice', async () => {
    const db = t.services.database.db;
    const days = (n: number) => new Date(Date.now() - n * 86_400_000);
    const call = (id: string, startedAt: Date) => ({
      id,
      direction: 'inbound' as const,
      startedAt,
      recordingPath: `${id}.wav`,
      variables: { raw: true },
    });
    await db.insert(calls).values([call('old-call', days(100)), call('new-call', days(40))]);
    for (const id of ['old-call', 'new-call']) writeFileSync(path.join(recordings, `${id}.wav`), 'RIFF');
    const report = (key: string, createdAt: Date) => ({
      channel: 'open311' as const,
      text: '测试',
      idempotencyKey: key,
      raw: { form: 'x' },
      createdAt,
    });
    await db.insert(reports).values([report('old-raw', days(31)), report('new-raw', days(29))]);

    const first = await sweepRetention(t.services);
    expect(first).toMatchObject({ rawReports: 1, rawCalls: 2, recordings: 1, uploads: 0 });
    expect(existsSync(path.join(recordings, 'old-call.wav'))).toBe(false);
    expect(existsSync(path.join(recordings, 'new-call.wav'))).toBe(true);
    const [oldCall] = await db.select().from(calls).where(eq(calls.id, 'old-call'));
    expect(oldCall.recordingPath).toBeNull();
    const [kept] = await db.select().from(reports).where(eq(reports.idempotencyKey, 'new-raw'));
    expect(kept.raw).toEqual({ form: 'x' });
    const [dropped] = await db.select().from(reports).where(eq(reports.idempotencyKey, 'old-raw'));
    expect(dropped.raw).toBeNull();

    expect(await sweepRetention(t.services)).toEqual({
      rawReports: 0,
      rawCalls: 0,
      rawMessages: 0,
      recordings: 0,
      uploads: 0,
    });
  });
});
