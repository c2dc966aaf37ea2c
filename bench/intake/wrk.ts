import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** wrk, the C load generator (Debian's `wrk`), when it is on the PATH. */
export const hasWrk = () => spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;

export interface WrkFigure {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

const ms = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? NaN);

/**
 * Runs wrk against `url` with `threads` threads (pgbench's -j) and `connections` connections, optionally with
 * a Lua script of bench/intake and its arguments; its rate, latency p50 / p99 in ms and failed requests.
 */
export async function runWrk(
  url: string,
  opts: { seconds: number; connections: number; threads: number; script?: string; args?: string[] },
): Promise<WrkFigure> {
  const script = opts.script ? ['-s', fileURLToPath(new URL(opts.script, import.meta.url))] : [];
  // Not spawnSync: the caller samples the service's RSS meanwhile.
  const child = spawn(
    'wrk',
    [
      `-t${opts.threads}`,
      `-c${opts.connections}`,
      `-d${opts.seconds}s`,
      '--latency',
      ...script,
      url,
      ...(opts.args ? ['--', ...opts.args] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (status !== 0) throw new Error(`wrk failed: ${err || out}`);
  const latency = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? Math.round(ms(m[1], m[2]) * 100) / 100 : NaN;
  };
  const count = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: latency('50'),
    p99: latency('99'),
    failed:
      count(/Non-2xx or 3xx responses: (\d+)/) +
      (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
        .exec(out)
        ?.slice(1)
        .reduce((a, b) => a + Number(b), 0) ?? 0),
  };
}
