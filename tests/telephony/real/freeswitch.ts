import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EslConnection, type EslHeaders } from '../../../telephony/freeswitch/connection.js';
import { silentLogger } from '../../../telephony/pbx/logger.js';
import { freePort } from '../../helpers/process.js';
import { exited, promptsDir } from './built.js';

const shipped = path.resolve(import.meta.dirname, '../../../telephony/freeswitch/conf');
const testOnly = path.resolve(import.meta.dirname, 'freeswitch');

/**
 * A real FreeSWITCH built by scripts/pbx/build-freeswitch.sh, started in a temp folder with
 * the configuration we ship (telephony/freeswitch/conf, unchanged) plus test-only files: the
 * agent's phone and the citizens' phones, reached through gateways to itself. Settings come
 * from the environment as in production: PBX_PASSWORD, ports, prompt and recording folders.
 */
export class RealFreeswitch {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'cg-freeswitch-'));
  readonly recordings = path.join(this.dir, 'recordings');
  readonly password = `test-${Math.random().toString(36).slice(2)}`;
  eslPort = 0;
  private env: Record<string, string> = {};
  private child: ChildProcess | null = null;
  log = '';

  constructor(
    private readonly prefix: string,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  async start(): Promise<void> {
    if (!this.eslPort) {
      const rtp = 20_000 + Math.floor(Math.random() * 400) * 100;
      this.eslPort = await freePort();
      this.env = {
        PBX_PASSWORD: this.password,
        PBX_ESL_PORT: String(this.eslPort),
        CG_SIP_IP: '127.0.0.1',
        CG_SIP_INTERNAL_PORT: String(await freePort()),
        CG_SIP_EXTERNAL_PORT: String(await freePort()),
        CG_RTP_START_PORT: String(rtp),
        CG_RTP_END_PORT: String(rtp + 99),
        CG_PROMPTS_DIR: promptsDir(),
        CG_RECORDINGS_DIR: this.recordings,
        RECORD_CALLS: 'true',
        CG_SERVICE_WAIT: '4',
        ...this.extraEnv,
      };
      const conf = path.join(this.dir, 'conf');
      cpSync(shipped, conf, { recursive: true });
      cpSync(testOnly, conf, { recursive: true });
      for (const d of ['log', 'db', 'run', 'tmp', 'storage', 'cache', 'recordings'])
        mkdirSync(path.join(this.dir, d), { recursive: true });
    }
    const d = (name: string) => path.join(this.dir, name);
    const child = spawn(
      path.join(this.prefix, 'bin/freeswitch'),
      [
        '-nonat',
        '-nf',
        '-nc',
        '-conf',
        d('conf'),
        '-log',
        d('log'),
        '-db',
        d('db'),
        '-run',
        d('run'),
        '-temp',
        d('tmp'),
        '-storage',
        d('storage'),
        '-cache',
        d('cache'),
        '-recordings',
        d('recordings'),
      ],
      { env: { PATH: process.env.PATH ?? '', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (data) => (this.log = (this.log + data).slice(-50_000)));
    child.stderr!.on('data', (data) => (this.log = (this.log + data).slice(-50_000)));
    this.child = child;
    const deadline = Date.now() + 60_000;
    for (let ready = false; !ready;) {
      try {
        const esl = await this.connect([]);
        const status = await esl.api('status', 5_000);
        await esl.close(1_000);
        ready = /is ready/.test(status);
      } catch {
        // not listening yet
      }
      if (ready) break;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`FreeSWITCH did not start:\n${this.log.slice(-3000)}\n${this.ownLog()}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await this.phoneRegistered();
  }

  /**
   * The agent's phone (gateway agent8001 on the external profile) registered with the
   * internal profile. Both profiles start together, so the first REGISTER may leave before
   * the internal one listens and fail with a 503; sofia would wait retry-seconds before the
   * next, so we ask for one at once until the gateway says REGED.
   */
  private async phoneRegistered(): Promise<void> {
    const esl = await this.connect([]);
    try {
      const deadline = Date.now() + 60_000;
      let status = '';
      for (;;) {
        status = await esl.api('sofia status gateway agent8001', 5_000);
        if (/^State\s+REGED/m.test(status)) return;
        if (Date.now() > deadline) break;
        if (!/^State\s+(TRYING|REGISTER)/m.test(status))
          await esl.api('sofia profile external register agent8001', 5_000);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const profiles = await esl.api('sofia status', 5_000);
      throw new Error(
        `the agent phone did not register:\n${status}\n${profiles}\n${this.log.slice(-3000)}\n${this.ownLog()}`,
      );
    } finally {
      await esl.close(1_000);
    }
  }

  /** The end of FreeSWITCH's own log file (it writes nothing to stdout with -nc): why it did not listen. */
  private ownLog(): string {
    try {
      return `log/freeswitch.log:\n${readFileSync(path.join(this.dir, 'log', 'freeswitch.log'), 'utf8').slice(-3000)}`;
    } catch {
      return 'no log/freeswitch.log';
    }
  }

  /** An event socket of the test's own, to place calls and press keys. */
  connect(
    events: string[],
    onEvent: (headers: EslHeaders) => void = () => {},
    password = this.password,
  ): Promise<EslConnection> {
    return EslConnection.open({
      host: '127.0.0.1',
      port: this.eslPort,
      password,
      events: events.length ? events : ['HEARTBEAT'],
      signal: new AbortController().signal,
      logger: silentLogger(),
      onEvent,
      onClose: () => {},
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child) return;
    child.kill('SIGTERM');
    await exited(child, 30_000);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
