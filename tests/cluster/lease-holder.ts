/**
 * A process that only takes part in the election, for tests/cluster/lease.test.ts: it
 * prints "role <leader|follower>" on every change, so a test can stop it (SIGSTOP) as a
 * hung instance would be, and watch what it believes when it wakes.
 */
import pino from 'pino';
import { openDatabase } from '../../server/db/client.js';
import { createLeadership } from '../../server/cluster/lease.js';

const database = await openDatabase({ url: process.env.DATABASE_URL!, poolMax: 1 });
const leadership = createLeadership(database, pino({ level: 'silent' }));
leadership.onChange((leader) => process.stdout.write(`role ${leader ? 'leader' : 'follower'}\n`));
await leadership.start();
process.stdout.write(`started ${leadership.role}\n`);
process.on('SIGTERM', () => {
  void leadership
    .stop()
    .then(() => database.close())
    .then(() => process.exit(0));
});
