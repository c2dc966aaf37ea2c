import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../helpers/process.js';
import { exited, run } from './built.js';

const shipped = path.resolve(import.meta.dirname, '../../../telephony/asterisk/conf');
const testOnly = path.resolve(import.meta.dirname, 'asterisk');

/**
 * A real Asterisk built by scripts/pbx/build-asterisk.sh, started in a temp folder with the
 * configuration we ship (extensions_cg.conf, manager_cg.conf) plus test-only files: Local
 * channels for the citizens' and the agent's phones, the hotline queue, a free AMI port.
 */
export class RealAsterisk {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'cg-asterisk-'));
  readonly etc = path.join(this.dir, 'etc');
  /** CG_RECORDINGS_DIR: the shipped dialplan records every hotline call here (RECORD_CALLS=true). */
  readonly recordings = path.join(this.dir, 'recordings');
  amiPort = 0;
  private child: ChildProcess | null = null;
  log = '';

  constructor(
    private readonly prefix: string,
    /** Asterisk's environment, as a deployment sets it (CG_SERVICE_WAIT, RECORD_CALLS). */
    private readonly env: Record<string, string> = {},
  ) {}

  private write(name: string, text: string): void {
    writeFileSync(path.join(this.etc, name), text);
  }

  async start(): Promise<void> {
    this.amiPort ||= await freePort();
    for (const d of ['etc', 'var', 'spool', 'run', 'log', 'recordings'])
      mkdirSync(path.join(this.dir, d), { recursive: true });
    copyFileSync(path.join(shipped, 'extensions_cg.conf'), path.join(this.etc, 'extensions_cg.conf'));
    copyFileSync(path.join(shipped, 'manager_cg.conf'), path.join(this.etc, 'manager_cg.conf'));
    copyFileSync(path.join(testOnly, 'extensions_test.conf'), path.join(this.etc, 'extensions_test.conf'));
    copyFileSync(path.join(testOnly, 'queues.conf'), path.join(this.etc, 'queues.conf'));
    const d = (name: string) => path.join(this.dir, name);
    this.write(
      'asterisk.conf',
      `[directories]\nastetcdir => ${this.etc}\nastmoddir => ${this.prefix}/lib/asterisk/modules\nastvarlibdir => ${d('var')}\nastdbdir => ${d('var')}\nastkeydir => ${d('var')}\nastdatadir => ${d('var')}\nastagidir => ${d('var')}\nastspooldir => ${d('spool')}\nastrundir => ${d('run')}\nastlogdir => ${d('log')}\nastsbindir => ${this.prefix}/sbin\n[options]\nnocolor = yes\n`,
    );
    this.write('modules.conf', '[modules]\nautoload = yes\n');
    this.write('logger.conf', '[logfiles]\nmessages.log => notice,warning,error\n');
    this.write('extensions.conf', '[general]\n#include extensions_cg.conf\n#include extensions_test.conf\n');
    // the shipped manager user, on a free port
    this.write('manager.conf', `#include manager_cg.conf\n\n[general](+)\nport = ${this.amiPort}\n`);
    const child = spawn(
      path.join(this.prefix, 'sbin/asterisk'),
      ['-C', path.join(this.etc, 'asterisk.conf'), '-f', '-n'],
      {
        env: { ...process.env, RECORD_CALLS: 'true', CG_RECORDINGS_DIR: this.recordings, ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (this.log = (this.log + d).slice(-20_000)));
    child.stderr!.on('data', (d) => (this.log = (this.log + d).slice(-20_000)));
    this.child = child;
    await this.cli('core waitfullybooted', 30);
  }

  /** `asterisk -rx`, retried while the control socket is not up yet. */
  async cli(command: string, tries = 1): Promise<string> {
    for (let i = 1; ; i++) {
      try {
        return await run(path.join(this.prefix, 'sbin/asterisk'), [
          '-C',
          path.join(this.etc, 'asterisk.conf'),
          '-rx',
          command,
        ]);
      } catch (error) {
        if (i >= tries) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child) return;
    child.kill('SIGTERM');
    await exited(child);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
