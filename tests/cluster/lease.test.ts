import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import pino from 'pino';
import { createLeadership } from '../../server/cluster/lease.js';
import { openDatabase } from '../../server/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { repoRoot } from '../helpers/process.js';
import { until } from '../helpers/wait.js';

const log = pino({ level: 'silent' });

describe('leadership on PGlite', () => {
  it('is always the leader: one process by nature', async () => {
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      const leadership = createLeadership(database, log);
      expect(leadership.role).toBe('stopped');
      await leadership.start();
      expect(leadership.isLeader).toBe(true);
      await leadership.stop();
      expect(leadership.role).toBe('stopped');
    } finally {
      await database.close();
    }
  });
});

// PGlite: skipped, one process by nature.
describe.runIf(!!process.env.DATABASE_URL)('leadership on PostgreSQL', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode == null && c.signalCode == null) c.kill('SIGKILL');
  });

  function holder(url: string) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/cluster/lease-holder.ts'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (c: string) => lines.push(...c.trim().split('\n')));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => lines.push(c));
    return { child, lines };
  }

  it('passes the lead on when the holder hangs, and the holder steps down when it wakes', async () => {
    const database = await createTestDatabase();
    const here = createLeadership(database, log);
    try {
      const other = holder(database.url!);
      await until(() => other.lines.includes('started leader'), 90_000, 'the other process leads');
      await here.start();
      expect(here.role).toBe('follower');

      // A hung process: its socket stays open, it says nothing.
      other.child.kill('SIGSTOP');
      const stoppedAt = Date.now();
      await until(() => here.isLeader, 15_000, 'lead taken over from a hung holder');
      const takeover = Date.now() - stoppedAt;
      console.info(`lead taken over ${takeover} ms after the holder hung`);
      expect(takeover).toBeLessThan(10_000);

      // Awake again, it finds its session ended and steps down; it does not take the lead back.
      other.child.kill('SIGCONT');
      await until(() => other.lines.includes('role follower'), 10_000, 'the woken holder steps down');
      expect(here.isLeader).toBe(true);
      expect(other.lines.filter((l) => l === 'role leader')).toHaveLength(1);
      other.child.kill('SIGTERM');
    } finally {
      await here.stop();
      await database.close();
    }
  }, 150_000);

  it('frees the lead when the holder stops cleanly', async () => {
    const database = await createTestDatabase();
    const a = createLeadership(database, log);
    const b = createLeadership(database, log);
    try {
      await a.start();
      await b.start();
      expect([a.role, b.role]).toEqual(['leader', 'follower']);
      await a.stop();
      await until(() => b.isLeader, 5_000, 'b leads');
    } finally {
      await a.stop();
      await b.stop();
      await database.close();
    }
  });
});
