import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../server/config.js';
import { repoRoot } from '../helpers/process.js';

/**
 * docker-compose.yml cannot run here (no Docker engine), so this reads it the way
 * Compose would and checks it against the repository: what it mounts exists, what the
 * app connects to is on the app's network at the port it listens on, the app starts
 * with the settings given, and secrets come from the environment.
 */

type Service = {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  environment?: Record<string, string | number> | string[];
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  networks?: string[] | Record<string, unknown>;
  network_mode?: string;
  container_name?: string;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  deploy?: { replicas?: number };
};

const raw = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
/** What an operator's .env gives; PBX_PASSWORD is recognisable wherever it lands. */
const operatorEnv: Record<string, string> = {
  POSTGRES_PASSWORD: 'pg-secret',
  SESSION_SECRET: 's'.repeat(40),
  PHONE_ENCRYPTION_KEY: 'ab'.repeat(32),
  PHONE_HASH_KEY: 'cd'.repeat(32),
  PBX_PASSWORD: 'pbx-secret-from-env',
};

/** Compose's interpolation: ${X}, ${X:-default}, ${X:?error}, $$. */
function interpolate(text: string, env: Record<string, string>): string {
  return text
    .replace(/\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
      const value = env[name];
      if (value != null && value !== '') return value;
      if (op?.endsWith('?')) throw new Error(`${name} is required: ${arg}`);
      return op?.endsWith('-') ? (arg ?? '') : '';
    })
    .replace(/\$\$/g, '$');
}

const compose = parse(interpolate(raw, operatorEnv)) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
};
const services = compose.services;
const envOf = (s: Service): Record<string, string> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(s.environment.map((e) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]))
    : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));
const app = services.app;
const appEnv = envOf(app);

interface Mount {
  host: string | null;
  volume: string | null;
  target: string;
}
function mounts(s: Service): Mount[] {
  return (s.volumes ?? []).map((v) => {
    const [source, target] = v.split(':');
    const bind = source.startsWith('.') || source.startsWith('/');
    return { host: bind ? path.resolve(repoRoot, source) : null, volume: bind ? null : source, target };
  });
}
const networksOf = (s: Service) =>
  s.network_mode ? [`mode:${s.network_mode}`] : s.networks ? [...Object.keys(s.networks)].sort() : ['default'];
const exposed = (s: Service) =>
  [...(s.expose ?? []), ...(s.ports ?? []).map((p) => p.split(':').at(-1)!)].map((p) => p.split('/')[0]);
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });

describe('docker-compose.yml against the repository', () => {
  it('mounts only paths that exist, and declares every named volume', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const m of mounts(s)) {
        if (m.host) expect(existsSync(m.host), `${name} mounts ${m.host}`).toBe(true);
        else expect(compose.volumes, `${name} uses volume ${m.volume}`).toHaveProperty(m.volume!);
      }
      if (s.build) {
        const context = path.resolve(repoRoot, typeof s.build === 'string' ? s.build : s.build.context);
        const dockerfile = typeof s.build === 'string' ? 'Dockerfile' : (s.build.dockerfile ?? 'Dockerfile');
        expect(existsSync(path.join(context, dockerfile)), `${name} builds ${context}`).toBe(true);
      }
    }
  });

  it('is the only compose file: FreeSWITCH has no second one', () => {
    const others = filesUnder(path.join(repoRoot, 'telephony')).filter((f) => /compose\.ya?ml$/.test(f));
    expect(others).toEqual([]);
  });

  it('puts the app on the network of PostgreSQL and FreeSWITCH, at the ports they listen on', () => {
    for (const [name, s] of Object.entries(services))
      expect(s.network_mode, `${name} must not use the host network`).toBeUndefined();
    const db = new URL(appEnv.DATABASE_URL);
    const postgres = services[db.hostname];
    expect(postgres, `DATABASE_URL names service ${db.hostname}`).toBeDefined();
    expect(postgres.image).toMatch(/^postgres:/);
    expect(db.port || '5432').toBe('5432');
    expect(db.password).toBe(operatorEnv.POSTGRES_PASSWORD);
    expect(envOf(postgres).POSTGRES_PASSWORD).toBe(operatorEnv.POSTGRES_PASSWORD);
    expect(db.username).toBe(envOf(postgres).POSTGRES_USER);
    expect(db.pathname.slice(1)).toBe(envOf(postgres).POSTGRES_DB);
    expect(networksOf(postgres)).toEqual(networksOf(app));

    const pbx = services[appEnv.PBX_HOST];
    expect(pbx, `PBX_HOST names service ${appEnv.PBX_HOST}`).toBeDefined();
    expect(networksOf(pbx)).toEqual(networksOf(app));
    expect(exposed(pbx)).toContain(appEnv.PBX_PORT);
    expect(Object.keys(app.depends_on ?? {})).toEqual(expect.arrayContaining([db.hostname, appEnv.PBX_HOST]));
  });

  it('gives the app every setting it requires in production, secrets from the environment only', () => {
    expect(appEnv.NODE_ENV).toBe('production');
    const config = loadConfig(appEnv);
    expect(config.DATABASE_URL).toMatch(/^postgres:\/\//);
    expect(config.PBX).toBe('freeswitch');
    expect(config.PBX_PASSWORD).toBe(operatorEnv.PBX_PASSWORD);
    // Each secret is required from the environment (${X:?...}), never given a default in the file.
    for (const secret of Object.keys(operatorEnv)) {
      const uses = [...raw.matchAll(new RegExp(`\\$\\{${secret}(:?[-?][^}]*)?\\}`, 'g'))].map((m) => m[1] ?? '');
      expect(uses.length, `${secret} is used`).toBeGreaterThan(0);
      for (const op of uses) expect(op.startsWith(':-') || op.startsWith('-'), `${secret} has a default`).toBe(false);
      expect(raw.split('\n').some((line) => line.includes(secret) && line.includes(operatorEnv[secret]))).toBe(false);
    }
    expect(() => interpolate(raw, { ...operatorEnv, PBX_PASSWORD: '' })).toThrow(/PBX_PASSWORD is required/);
  });

  it('shares the recordings FreeSWITCH writes with the app, where RECORDINGS_DIR says', () => {
    const fsVolume = mounts(services.freeswitch).find((m) => m.volume && m.target === '/recordings');
    const appVolume = mounts(app).find((m) => m.target === appEnv.RECORDINGS_DIR);
    expect(fsVolume?.volume).toBeDefined();
    expect(appVolume?.volume).toBe(fsVolume!.volume);
    expect(mounts(app).some((m) => m.target === appEnv.DATA_DIR && m.volume)).toBe(true);
  });

  it('can scale the app: no fixed name, no host port, at least two replicas, a readiness check', () => {
    expect(app.container_name).toBeUndefined();
    expect(app.ports ?? []).toEqual([]);
    expect(app.deploy?.replicas ?? 1).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(app.healthcheck?.test)).toContain(`:${appEnv.PORT}/readyz`);
  });
});

describe('FreeSWITCH in docker-compose.yml', () => {
  const fs = services.freeswitch;
  const fsEnv = envOf(fs);
  const confRoot = path.join(repoRoot, 'telephony/freeswitch/conf');
  const confTarget = '/etc/freeswitch';
  const fsMounts = mounts(fs).filter((m) => m.host);

  it('builds 1.10.12 from our own Dockerfile', () => {
    expect(typeof fs.build === 'string' ? fs.build : fs.build?.context).toBe('telephony/freeswitch');
    const dockerfile = readFileSync(path.join(repoRoot, 'telephony/freeswitch/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/FREESWITCH_VERSION=1\.10\.12\b/);
    expect(dockerfile).toContain(`-conf", "${confTarget}"`);
  });

  it('mounts every file of telephony/freeswitch/conf where FreeSWITCH reads it', () => {
    for (const file of filesUnder(confRoot)) {
      const rel = path.relative(confRoot, file);
      const exact = fsMounts.find((m) => m.host === file);
      const dir = fsMounts.find((m) => file.startsWith(m.host! + path.sep));
      expect(exact || dir, `${rel} is not mounted`).toBeTruthy();
      const target = exact
        ? exact.target
        : path.posix.join(dir!.target, path.relative(dir!.host!, file).split(path.sep).join('/'));
      expect(target).toBe(path.posix.join(confTarget, rel.split(path.sep).join('/')));
    }
  });

  it('listens for the event socket where the app connects, with the password from the environment', () => {
    // FreeSWITCH's pre-processor variables, as the mounted files set them (set, env-set NAME=$ENV, exec-set printenv).
    const vars = new Map<string, string>();
    const files = fsMounts
      .flatMap((m) => (statSync(m.host!).isDirectory() ? filesUnder(m.host!) : [m.host!]))
      .sort((a, b) => Number(!a.endsWith('vars.xml')) - Number(!b.endsWith('vars.xml')));
    for (const file of files) {
      for (const [, cmd, name, value] of readFileSync(file, 'utf8').matchAll(
        /<X-PRE-PROCESS cmd="(set|env-set|exec-set)" data="([^=]+)=([^"]*)"/g,
      )) {
        const env = cmd === 'env-set' ? /^\$(\w+)$/.exec(value)?.[1] : /^printenv (\w+)/.exec(value)?.[1];
        if (cmd === 'set' || (cmd === 'env-set' && !env)) vars.set(name, value);
        else if (env && fsEnv[env]) vars.set(name, fsEnv[env]);
      }
    }
    const resolve = (v: string) => v.replace(/\$\$\{(\w+)\}/g, (_, n: string) => vars.get(n) ?? `<unset ${n}>`);
    const esl = files.find((f) => f.endsWith('event_socket.conf.xml'));
    expect(esl, 'event_socket.conf.xml is mounted').toBeDefined();
    const param = (name: string) =>
      resolve(new RegExp(`<param name="${name}" value="([^"]*)"`).exec(readFileSync(esl!, 'utf8'))?.[1] ?? '');
    expect(param('password')).toBe(operatorEnv.PBX_PASSWORD);
    expect(param('listen-port')).toBe(appEnv.PBX_PORT);
    expect(param('listen-ip')).toBe('0.0.0.0');
  });
});

describe('nginx in front of the app', () => {
  const nginx = services.nginx;
  const confMount = mounts(nginx).find((m) => m.target === '/etc/nginx/nginx.conf');
  const conf = readFileSync(confMount!.host!, 'utf8');
  const block = (re: RegExp) => {
    const start = conf.search(re);
    expect(start, String(re)).toBeGreaterThanOrEqual(0);
    let depth = 0;
    for (let i = conf.indexOf('{', start); i < conf.length; i++) {
      if (conf[i] === '{') depth++;
      else if (conf[i] === '}' && --depth === 0) return conf.slice(start, i + 1);
    }
    throw new Error('unbalanced braces');
  };

  it('proxies to every app replica at the port the app listens on, once the app is healthy', () => {
    const upstream = block(/upstream\s+app\s*\{/);
    expect(upstream).toMatch(new RegExp(`server\\s+app:${appEnv.PORT}\\b`));
    expect(conf).toMatch(/resolver\s+127\.0\.0\.11/);
    expect(block(/location\s+\/\s*\{/)).toMatch(/proxy_pass\s+http:\/\/app;/);
    expect((nginx.depends_on as Record<string, { condition: string }>).app.condition).toBe('service_healthy');
    expect(networksOf(nginx)).toEqual(networksOf(app));
    expect(nginx.ports?.length).toBeGreaterThan(0);
  });

  it('streams the screen-pops unbuffered, with a read timeout longer than the keep-alive comments', () => {
    const sse = block(/location\s+\/api\/screen-pop\/stream\s*\{/);
    expect(sse).toMatch(/proxy_pass\s+http:\/\/app;/);
    expect(sse).toMatch(/proxy_buffering\s+off;/);
    const timeout = /proxy_read_timeout\s+(\d+)(s|m|h)?;/.exec(sse);
    const seconds = timeout ? Number(timeout[1]) * ({ s: 1, m: 60, h: 3600 }[timeout[2] ?? 's'] ?? 1) : 60;
    expect(seconds).toBeGreaterThan(15);
    const router = readFileSync(path.join(repoRoot, 'server/routes/calls/router.ts'), 'utf8');
    expect(router).toContain("'/screen-pop/stream'");
  });

  it('passes chat-desk requests on until they reach the instance running the chat bot, without marking others down', () => {
    const chat = block(/location\s+\/api\/chat\/\s*\{/);
    const upstreamName = /proxy_pass\s+http:\/\/(\w+);/.exec(chat)![1];
    const upstream = block(new RegExp(`upstream\\s+${upstreamName}\\s*\\{`));
    expect(upstream).toMatch(new RegExp(`server\\s+app:${appEnv.PORT}\\b[^;]*max_fails=0`));
    expect(chat).toMatch(/proxy_next_upstream\s+http_503\s+non_idempotent;/);
    expect(chat).toMatch(/proxy_next_upstream_tries\s+0;/);
    // The follower's answer is a 503 from the route, before any work (server/routes/chat/router.ts).
    const router = readFileSync(path.join(repoRoot, 'server/routes/chat/router.ts'), 'utf8');
    expect(router).toMatch(/if \(!running\) throw serviceUnavailable\(/);
  });
});
