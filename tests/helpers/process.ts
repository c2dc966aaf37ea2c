import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs script without types
import { V8_FLAGS } from '../../scripts/start.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A port free now for a process a test starts (the service, a PBX) to listen on, chosen from 10000–19999:
 * below the kernel's ephemeral range (32768–60999 by default) and below the FreeSWITCH tests' RTP ports
 * (20000 and up). A port from `listen(0)` is an ephemeral one, which the kernel may give to any other socket
 * (an outgoing connection, another test's server) between this check and the process's bind, and a process
 * starting under load binds seconds later.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 10_000);
    if (await bindable(port)) return port;
  }
}

function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/**
 * How the service is started: from the TypeScript sources through tsx (as `npm start`), or `npm run
 * build`'s output (as `npm run serve` and the Dockerfile), with the same V8 flags as those.
 */
export const serverEntry = {
  tsx: [...(V8_FLAGS as string[]), '--import', 'tsx', 'server/main.ts'],
  compiled: [...(V8_FLAGS as string[]), 'dist/server/main.js'],
};

/**
 * Starts the real service (server/main.ts) as its own process and waits until /readyz answers. The
 * port is free when chosen, but another test's process may take it before the service listens: then
 * it is started again on another.
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 90_000,
  entry: string[] = serverEntry.tsx,
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePort(env, timeoutMs, entry);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTaken)) throw err;
    }
  }
}

class PortTaken extends Error {}

async function startOnFreePort(
  env: Record<string, string>,
  timeoutMs: number,
  entry: string[],
): Promise<ServerProcess> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, entry, {
    cwd: repoRoot,
    env: { ...process.env, SERVE_UI: 'false', LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The service writes its banner once it listens: each output wakes the wait below at once, so the
  // start is timed to the event (bench/startup) and not to the next tick of the 200 ms poll.
  let outputs = 0;
  let wake: () => void = () => {};
  const onOutput = (c: Buffer) => {
    out += c;
    outputs++;
    wake();
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode != null || child.signalCode != null) {
      const message = `server exited early (${child.exitCode ?? child.signalCode}): ${out}`;
      throw out.includes('EADDRINUSE') ? new PortTaken(message) : new Error(message);
    }
    const seen = outputs;
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return { child, url, output: () => out };
    } catch {
      // not listening yet
    }
    if (outputs !== seen) continue;
    await new Promise<void>((r) => {
      const timer = setTimeout(r, 200);
      wake = () => {
        clearTimeout(timer);
        r();
      };
    });
    wake = () => {};
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready in time: ${out}`);
}

/** Resolves once the process has ended, whether it already had or not. */
export function exited(p: ServerProcess): Promise<void> {
  if (p.child.exitCode != null || p.child.signalCode != null) return Promise.resolve();
  return new Promise((r) => p.child.once('exit', () => r()));
}

export async function stopProcess(p: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const done = exited(p);
  if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill(signal);
  await done;
}
