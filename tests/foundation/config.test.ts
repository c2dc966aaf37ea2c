import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.js';
import { testEnv } from '../helpers/context.js';

describe('configuration', () => {
  it('reads defaults and splits list settings', () => {
    const c = loadConfig(testEnv({ OPEN311_API_KEYS: 'k1, k2,,', HOTLINE_NUMBERS: '12319' }));
    expect(c.PORT).toBe(3000);
    expect(c.openApiKeys).toEqual(['k1', 'k2']);
    expect(c.hotlineNumbers).toEqual(['12319']);
    expect(c.PBX).toBe('none');
  });

  it.each([
    ['PORT', 'abc', /PORT/],
    ['PORT', '70000', /PORT/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL.*postgres/],
    ['PBX', 'teams', /PBX/],
    ['BODY_LIMIT', 'lots', /BODY_LIMIT/],
    ['PHONE_HASH_KEY', 'short', /PHONE_HASH_KEY/],
  ])('rejects %s=%s naming the setting', (key, value, pattern) => {
    expect(() => loadConfig(testEnv({ [key]: value }))).toThrow(ConfigError);
    expect(() => loadConfig(testEnv({ [key]: value }))).toThrow(pattern);
  });

  it('requires a PBX password when a PBX is configured', () => {
    expect(() => loadConfig(testEnv({ PBX: 'freeswitch' }))).toThrow(
      /missing setting PBX_PASSWORD: required when PBX=freeswitch/,
    );
    expect(() => loadConfig(testEnv({ PBX: 'asterisk', PBX_PASSWORD: 'secret' }))).toThrow(
      /missing setting PBX_USERNAME: required when PBX=asterisk/,
    );
    expect(loadConfig(testEnv({ PBX: 'asterisk', PBX_USERNAME: 'admin', PBX_PASSWORD: 'secret' })).PBX).toBe(
      'asterisk',
    );
  });

  it('keeps recordings RECORDING_RETENTION_DAYS days (180 by default, 0 for ever); the old name is read with a warning', () => {
    const plain = loadConfig(testEnv());
    expect(plain.RECORDING_RETENTION_DAYS).toBe(180);
    expect(plain.warnings).toEqual([]);
    expect(loadConfig(testEnv({ RECORDING_RETENTION_DAYS: '0' })).RECORDING_RETENTION_DAYS).toBe(0);
    const old = loadConfig(testEnv({ RETENTION_RECORDINGS_DAYS: '30' }));
    expect(old.RECORDING_RETENTION_DAYS).toBe(30);
    expect(old.warnings).toEqual([
      expect.stringMatching(/RETENTION_RECORDINGS_DAYS.*old name.*RECORDING_RETENTION_DAYS/),
    ]);
    const both = loadConfig(testEnv({ RETENTION_RECORDINGS_DAYS: '30', RECORDING_RETENTION_DAYS: '90' }));
    expect(both.RECORDING_RETENTION_DAYS).toBe(90);
    expect(both.warnings).toEqual([expect.stringMatching(/RETENTION_RECORDINGS_DAYS=30 is ignored/)]);
    expect(() => loadConfig(testEnv({ RECORDING_RETENTION_DAYS: '-1' }))).toThrow(/RECORDING_RETENTION_DAYS/);
  });

  it('runs several HTTP workers only on PostgreSQL; auto is one per CPU', () => {
    expect(loadConfig(testEnv()).webWorkers).toBe(1);
    const pg = { DATABASE_URL: 'postgres://u@localhost/db' };
    expect(loadConfig(testEnv({ ...pg, WEB_WORKERS: '2' })).webWorkers).toBe(2);
    expect(loadConfig(testEnv({ ...pg, WEB_WORKERS: 'auto' })).webWorkers).toBe(availableParallelism());
    expect(() => loadConfig(testEnv({ WEB_WORKERS: '2' }))).toThrow(/WEB_WORKERS=2: workers need DATABASE_URL/);
    expect(() => loadConfig(testEnv({ WEB_WORKERS: 'auto' }))).toThrow(/WEB_WORKERS=auto.*PGlite/);
    expect(() => loadConfig(testEnv({ ...pg, WEB_WORKERS: '0' }))).toThrow(/invalid setting WEB_WORKERS/);
  });

  it('requires secrets in production', () => {
    const env = testEnv({ NODE_ENV: 'production' });
    delete env.SESSION_SECRET;
    expect(() => loadConfig(env)).toThrow(/missing setting SESSION_SECRET/);
  });

  it('generates local secrets once and keeps them in DATA_DIR', () => {
    const env = testEnv();
    delete env.PHONE_ENCRYPTION_KEY;
    delete env.PHONE_HASH_KEY;
    delete env.SESSION_SECRET;
    const a = loadConfig(env);
    const b = loadConfig(env);
    expect(a.PHONE_ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(b.PHONE_ENCRYPTION_KEY).toBe(a.PHONE_ENCRYPTION_KEY);
    expect(existsSync(path.join(env.DATA_DIR!, 'secrets.json'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(env.DATA_DIR!, 'secrets.json'), 'utf8')).SESSION_SECRET).toBe(
      a.SESSION_SECRET,
    );
  });

  it('stops start-up with one line naming the bad setting', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, ...testEnv({ PORT: 'not-a-port' }) },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.status).toBe(1);
    const lines = res.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.includes('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT/);
  });
});
