import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { backend, watchTransactions } from '../helpers/db.js';
import { FLUSHED_BEHIND } from '../../server/db/transaction.js';
import { pgbenchScript } from '../../bench/intake/replay.js';

// The floor bench (bench/intake/floor.ts) says what PostgreSQL does per intake by replaying one: the
// replay must write what the intake writes, per transaction afresh. pgbench runs against PostgreSQL only.
describe.runIf(backend === 'postgres')('the intake replayed by pgbench', () => {
  let t: TestContext;
  let agent: string;
  beforeAll(async () => {
    t = await createTestContext({ jobs: false });
    agent = await t.login('agent');
  });
  afterAll(() => t?.close());

  const rowsOf = (text: string) => t.services.database.executor.executeSql(text).then((r) => r.rows);
  const count = async (text: string) => Number((await rowsOf(text))[0].n);

  it('records the intake’s two round trips and replays them as new reports, each with its case, history and number', async () => {
    const lat = 30.2045;
    const lng = 120.1075;
    const post = (key: string, at = lat) =>
      t
        .http()
        .post('/api/reports')
        .set('authorization', `Bearer ${agent}`)
        .send({
          idempotencyKey: key,
          channel: 'hotline',
          text: '东湖路上有个井盖没有了，路过的人很容易踩空',
          location: { lat: at, lng },
        });
    // A serving process has read its routing rules before: the first intake reads them, the recorded one does not.
    expect((await post('replay-0', lat + 0.05)).status).toBe(201);
    const watch = watchTransactions(t.services.database);
    let res;
    try {
      res = await post('replay-1');
    } finally {
      watch.restore();
    }
    const sent = watch.statements;
    expect(res.status).toBe(201);
    expect(res.body.report.disposition).toBe('opened');
    // The locks and the duplicate search in one round trip; the opening statement and the commit in the next.
    expect(sent.map((s) => s.trip)).toEqual([1, 1, 1, 2, 2, 2, 2]);
    expect(sent.map((s) => s.text).slice(-3)).toEqual([
      'set local synchronous_commit to off',
      'commit',
      FLUSHED_BEHIND,
    ]);

    const { script, trips } = pgbenchScript(sent, {
      caseId: res.body.case.id,
      reportId: res.body.report.id,
      key: 'staff:replay-1',
      lat,
      lng,
    });
    expect(trips).toBe(2);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cg-replay-')), 'intake.sql');
    writeFileSync(file, script);

    const url = new URL(t.services.database.url!);
    const before = {
      cases: await count('select count(*) as n from cases'),
      events: await count('select count(*) as n from case_events'),
    };
    const run = spawnSync(
      'pgbench',
      ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')].concat([
        '-n',
        '-M',
        'prepared',
        '-c',
        '2',
        '-t',
        '5',
        '-f',
        file,
        url.pathname.slice(1),
      ]),
      { encoding: 'utf8' },
    );
    expect(run.stderr).not.toMatch(/error|aborted/i);
    expect(run.status).toBe(0);

    // Ten new reports, each the only report of a new case of its own, with the case's two history rows.
    expect(await count(`select count(*) as n from reports where idempotency_key like 'staff:floor-%'`)).toBe(10);
    expect(await count('select count(*) as n from cases')).toBe(before.cases + 10);
    expect(await count('select count(*) as n from case_events')).toBe(before.events + 20);
    expect(
      await count(
        `select count(distinct c.id) as n from cases c join reports r on r.case_id = c.id
         where r.idempotency_key like 'staff:floor-%' and c.state = '立案' and c.category_code = '100114'`,
      ),
    ).toBe(10);
    // The numbers follow the recorded intake's, one each, none skipped.
    const recorded = Number(String(res.body.case.caseNo).slice(8));
    const numbers = await rowsOf(
      `select c.case_no as no from cases c join reports r on r.case_id = c.id where r.idempotency_key like 'staff:floor-%' order by 1`,
    );
    expect(numbers.map((r) => Number(String(r.no).slice(8)))).toEqual(
      Array.from({ length: 10 }, (_, i) => recorded + 1 + i),
    );
  });
});
