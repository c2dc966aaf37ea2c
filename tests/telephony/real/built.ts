import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The PBXes scripts/pbx/build-*.sh built into the cache (outside the repository). Absent,
 * the real-PBX tests are skipped with one line; with REQUIRE_REAL_PBX=1 (.ci/run) absence
 * is a failure.
 */
export function builtPbx(kind: 'freeswitch' | 'asterisk'): string | null {
  const prefix = path.join(process.env.PBX_CACHE_DIR ?? '/var/cache/chengguan-pbx', kind);
  const binary = kind === 'freeswitch' ? 'bin/freeswitch' : 'sbin/asterisk';
  if (existsSync(path.join(prefix, '.complete')) && existsSync(path.join(prefix, binary))) return prefix;
  const how = `scripts/pbx/build-${kind}.sh`;
  if (process.env.REQUIRE_REAL_PBX === '1')
    throw new Error(`REQUIRE_REAL_PBX=1 but no ${kind} is built in ${prefix} (${how})`);
  console.log(`real ${kind} tests skipped: not built in ${prefix} (run ${how})`);
  return null;
}

/** The demo prompt recordings (scripts/pbx/prompts.ts). */
export function promptsDir(): string {
  return path.join(process.env.PBX_CACHE_DIR ?? '/var/cache/chengguan-pbx', 'prompts', 'zh-CN');
}

/** Resolves when the process exits; kills it after `ms` if it will not. */
export function exited(child: ChildProcess, ms = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')}: ${code}\n${out}`)),
    );
  });
}

/** A TCP proxy in front of the PBX's socket, so a test can cut the link and let it come back. */
export class CuttableLink {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: number) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  cut(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
