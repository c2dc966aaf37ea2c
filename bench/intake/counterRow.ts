/**
 * The day's case-number counter row alone: every intake's transaction writes it, so intakes pass it one
 * at a time. This runs only that (the counter's upsert, as the transaction's last statement) from 10
 * concurrent transactions for a few seconds, with a plain COMMIT and with the intake's commit that frees
 * the row before its WAL flush and answers after it (server/db/transaction.ts), alternately, and prints
 * each rate beside pgbench TPC-B with as many clients on the same PostgreSQL.
 *   npx tsx bench/intake/counterRow.ts [--seconds 4] [--connections 10] [--rounds 2]
 * Prints figures only; no thresholds. Runs in databases of its own, dropped at the end.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../server/db/client.js';
import { transaction } from '../../server/db/transaction.js';
import { pgbench } from './pgbench.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 4);
const connections = arg('connections', 10);
const rounds = arg('rounds', 2);
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = `bench_counter_${randomBytes(4).toString('hex')}`;
const urlOf = (db: string) => Object.assign(new URL(base), { pathname: `/${db}` });

const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
await admin.query(`CREATE DATABASE ${name}_pgbench`);
const database = await openDatabase({ url: urlOf(name).toString(), poolMax: connections });
try {
  pgbench(urlOf(`${name}_pgbench`), ['-i', '-q', '-s', String(connections)]);
  const bump = {
    text: `insert into case_counters (day, last) values ('BENCH', 1)
           on conflict (day) do update set last = case_counters.last + 1 returning last`,
    values: [],
  };
  const run = async (releaseBeforeFlush: boolean) => {
    let done = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < until) {
          await transaction(database, (_tx, end) => end(bump), { releaseBeforeFlush });
          done++;
        }
      }),
    );
    return done / seconds;
  };
  await run(true); // warm-up
  for (let round = 1; round <= rounds; round++) {
    const tpcb = pgbench(urlOf(`${name}_pgbench`), ['-n', '-c', String(connections), '-j', '2', '-T', String(seconds)]);
    const plain = await run(false);
    const released = await run(true);
    console.log(
      `round ${round}, ${connections} connections: the counter row with a plain COMMIT ${plain.toFixed(0)}/s ` +
        `(${(plain / tpcb.tps).toFixed(2)} of TPC-B), freed before the flush ${released.toFixed(0)}/s ` +
        `(${(released / tpcb.tps).toFixed(2)}); pgbench TPC-B ${tpcb.tps.toFixed(0)}/s`,
    );
  }
} finally {
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`DROP DATABASE IF EXISTS ${name}_pgbench WITH (FORCE)`);
  await admin.end();
}
