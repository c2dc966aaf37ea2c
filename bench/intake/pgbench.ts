import { spawnSync } from 'node:child_process';

/** Runs pgbench against the database a postgres:// URL names; its tps and average latency. Throws on failure. */
export function pgbench(url: URL, args: string[]): { tps: number; latencyMs: number } {
  const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  const res = spawnSync('pgbench', [...conn, ...args, url.pathname.slice(1)], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`pgbench ${args.join(' ')} failed: ${res.stderr}`);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(res.stdout);
  const latency = /latency average = ([\d.]+) ms/.exec(res.stdout);
  return { tps: Number(tps?.[1] ?? NaN), latencyMs: Number(latency?.[1] ?? NaN) };
}
