/**
 * What the benches read of the processes beside them, from /proc: a process's CPU, its children's, the
 * local PostgreSQL server's, and the server's WAL insert position.
 */
import type pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';

/** The /proc/<pid>/stat fields after the command name (field 3 onwards). */
const statFields = (pid: number | 'self') => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
/** utime + stime of a process, in ms. */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
/** cutime + cstime of this process, in ms: the children it has waited for (pgbench). */
export function childrenCpuMs(): number {
  const fields = statFields('self');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}
/**
 * All CPU of the local PostgreSQL server, in ms: its processes' own, plus what the postmaster has
 * collected from backends that ended. Null where it cannot be read (not on this machine).
 */
export function postgresCpuMs(): number | null {
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fields: string[];
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      fields = statFields(Number(entry));
    } catch {
      continue; // ended meanwhile
    }
    found = true;
    total += Number(fields[11]) + Number(fields[12]);
    // The postmaster (its parent is not postgres) holds the ended backends' time.
    if (!isPostgres(Number(fields[1]))) total += Number(fields[13]) + Number(fields[14]);
  }
  return found ? (total * 1000) / 100 : null;
}
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}
/** Bytes of WAL the whole server has written so far (its insert position). */
export async function walBytes(client: pg.Client): Promise<number> {
  const { rows } = await client.query(`select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text as b`);
  return Number(rows[0].b);
}
