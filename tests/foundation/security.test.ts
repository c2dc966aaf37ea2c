import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Koa from 'koa';
import request from 'supertest';
import sharp from 'sharp';
import { eq, sql } from 'drizzle-orm';
import { createTestContext, PASSWORDS, type TestContext } from '../helpers/context.js';
import { backend } from '../helpers/db.js';
import { buildReport, key } from '../helpers/factories.js';
import { jpeg } from '../helpers/images.js';
import { buildServices } from '../../server/services.js';
import { createApp } from '../../server/app.js';
import { routeFactories } from '../../server/wiring.js';
import { clientAddressOf } from '../../server/middleware/clientAddress.js';
import { errorHandler } from '../../server/middleware/errors.js';
import { requestContext } from '../../server/middleware/requestContext.js';
import { staffUsers, uploads } from '../../server/db/schema.js';

/** Regression tests for the findings of the security review (#14) and the shared limits (#20). */

// Counts argon2 verifications, so the test of an unknown username asserts the work done, not a timing.
const argon2 = vi.hoisted(() => ({ verifications: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: (...args: Parameters<typeof real.verify>) => {
      argon2.verifications++;
      return real.verify(...args);
    },
  };
});

let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestContext({
    jobs: false,
    env: {
      LOGIN_MAX_FAILURES: '3',
      LOGIN_WINDOW_MINUTES: '1',
      TRUST_PROXY: '1',
      OPEN311_API_KEYS: 'partner-a,partner-b',
      PUBLIC_READ_RATE_PER_MINUTE: '5',
      UPLOAD_RATE_PER_HOUR: '3',
      DEV_LOGIN: 'true',
    },
  });
  admin = await t.login('admin');
}, 60_000);
afterAll(() => t?.close());

const login = (app: { http: () => any } | TestContext, username: string, password: string, from: string) =>
  app.http().post('/api/auth/login').set('X-Forwarded-For', from).send({ username, password });

describe(`5xx on bad input (${backend})`, () => {
  it('refuses NUL and lone surrogates at validation', async () => {
    const nul = await t.http().post('/api/auth/login').send({ username: 'ad\u0000min', password: 'x' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('invalid_request');
    const lone = await t
      .http()
      .post('/api/classify')
      .set('content-type', 'application/json')
      .send('{"text":"\\ud800 井盖"}');
    expect(lone.status).toBe(400);
    const search = await t.http().get('/api/cases?q=%00').set('Authorization', `Bearer ${admin}`);
    expect(search.status).toBe(400);
  });

  it('bounds integers to their int4 columns and dates to sane years', async () => {
    for (const url of [
      '/api/cases?areaId=2147483648',
      '/api/stats?departmentId=2147483648',
      '/api/stats?from=0000-01-01',
    ]) {
      const res = await t.http().get(url).set('Authorization', `Bearer ${admin}`);
      expect(res.status, url).toBe(400);
    }
    const rule = await t
      .http()
      .put('/api/routing-rules/2147483648')
      .set('Authorization', `Bearer ${admin}`)
      .send({ categoryCode: '0101', departmentId: 2 ** 31, deadlineHours: 4 });
    expect(rule.status).toBe(400);
    const open311 = await t.http().get('/open311/v2/requests.json?start_date=0000-01-01T00:00:00Z');
    expect(open311.status).toBe(400);
  });

  it('answers bad percent-encoding in paths with 400', async () => {
    for (const url of ['/admin/%E0%A4%A', '/m/%ZZ', '/files/%ZZ']) {
      const res = await t.http().get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('bad_encoding');
    }
  });

  it('refuses a staff update with no field, and over-long idempotency keys', async () => {
    const [agent] = await t.services.database.db.select().from(staffUsers).where(eq(staffUsers.username, 'agent'));
    const empty = await t.http().put(`/api/staff/${agent.id}`).set('Authorization', `Bearer ${admin}`).send({});
    expect(empty.status).toBe(400);
    const longKey = await t
      .http()
      .post('/open311/v2/requests.json')
      .set('Idempotency-Key', 'k'.repeat(3000))
      .type('form')
      .send({ api_key: 'partner-a', service_code: '100114', description: '井盖丢了', address_string: '望江路' });
    expect(longKey.status).toBe(400);
  });

  it('logs a 500 with its code and route, never the failed query or its parameters', async () => {
    const app = new Koa();
    app.use(requestContext(t.services.log));
    app.use(errorHandler());
    app.use(async () => {
      await t.services.database.db.execute(sql`select ${'13812345678 secret words'}::int`);
    });
    const res = await request(app.callback()).get('/boom');
    expect(res.status).toBe(500);
    const line = t.logLines.find((l) => l.includes('unhandled error'))!;
    expect(line).toMatch(/"code":"22\w{3}"/);
    expect(line).toContain('/boom');
    expect(line).not.toMatch(/secret|select|5678/);
  });
});

describe(`client addresses and TRUST_PROXY (${backend})`, () => {
  it('ignores X-Forwarded-For unless told to trust proxies, then reads it from the right', () => {
    expect(clientAddressOf({ kind: 'off' }, '::ffff:10.0.0.9', '1.2.3.4')).toBe('10.0.0.9');
    expect(clientAddressOf({ kind: 'hops', hops: 1 }, '10.0.0.9', 'forged, 203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressOf({ kind: 'hops', hops: 2 }, '10.0.0.9', 'forged, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
    const listed = { kind: 'addresses' as const, addresses: ['10.0.0.9', '10.0.0.2'] };
    expect(clientAddressOf(listed, '10.0.0.9', 'forged, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
    expect(clientAddressOf(listed, '198.51.100.1', 'forged')).toBe('198.51.100.1');
  });

  it('uses the socket address by default, so a forged header cannot dodge the lockout', async () => {
    const plain = await createTestContext({ jobs: false, env: { LOGIN_MAX_FAILURES: '2' } });
    try {
      for (let i = 0; i < 2; i++) await login(plain, 'agent', 'wrong', `10.7.7.${i}`);
      expect((await login(plain, 'agent', PASSWORDS.agent, '10.7.7.99')).status).toBe(429);
    } finally {
      await plain.close();
    }
  });
});

describe(`login lockout (${backend})`, () => {
  it('locks the account only from the guessing address, grows the back-off, and an admin can lift it', async () => {
    for (let i = 0; i < 3; i++) expect((await login(t, 'supervisor', `guess-${i}`, '198.51.100.5')).status).toBe(401);
    const locked = await login(t, 'supervisor', PASSWORDS.supervisor, '198.51.100.5');
    expect(locked.status).toBe(429);
    const first = Number(locked.headers['retry-after']);
    expect(first).toBeGreaterThan(30);
    expect(first).toBeLessThanOrEqual(60);
    // The owner, elsewhere, is not locked out by the stranger.
    expect((await login(t, 'supervisor', PASSWORDS.supervisor, '192.0.2.10')).status).toBe(200);
    // When the block ends, the next failure blocks twice as long.
    await t.services.database.db.execute(
      sql`update limit_counters set blocked_until = now() - interval '1 second' where bucket = 'login'`,
    );
    expect((await login(t, 'supervisor', 'again', '198.51.100.5')).status).toBe(401);
    const longer = Number((await login(t, 'supervisor', PASSWORDS.supervisor, '198.51.100.5')).headers['retry-after']);
    expect(longer).toBeGreaterThan(90);
    expect(longer).toBeLessThanOrEqual(120);

    const [sup] = await t.services.database.db.select().from(staffUsers).where(eq(staffUsers.username, 'supervisor'));
    const agent = await t.login('agent');
    expect((await t.http().post(`/api/staff/${sup.id}/unlock`).set('Authorization', `Bearer ${agent}`)).status).toBe(
      403,
    );
    const unlock = await t.http().post(`/api/staff/${sup.id}/unlock`).set('Authorization', `Bearer ${admin}`);
    expect(unlock.status).toBe(200);
    expect(unlock.body.cleared).toBe(1);
    expect((await login(t, 'supervisor', PASSWORDS.supervisor, '198.51.100.5')).status).toBe(200);
  });

  it('holds on every instance: two apps on one database share the lockout', async () => {
    const services = buildServices(t.config, t.services.log, t.services.database, null, t.services.classifier);
    const second = createApp(services, routeFactories({ services, stop: async () => {} }));
    const other = { http: () => request(second.callback()) };
    for (let i = 0; i < 3; i++) expect((await login(t, 'szss', `guess-${i}`, '198.51.100.6')).status).toBe(401);
    const res = await login(other, 'szss', PASSWORDS.szss, '198.51.100.6');
    expect(res.status).toBe(429);
    await t.services.limits.login.unlock('szss');
  });

  it('verifies a hash for an unknown username just as for a wrong password, so both take as long', async () => {
    const verificationsFor = async (username: string) => {
      const before = argon2.verifications;
      expect((await login(t, username, 'not-the-password', '192.0.2.50')).status).toBe(401);
      return argon2.verifications - before;
    };
    expect(await verificationsFor('srhw')).toBe(1);
    // An unknown name skipped argon2 before: a fraction of the time. Now it verifies a throwaway hash.
    expect(await verificationsFor('nobody-by-this-name')).toBe(1);
    await t.services.limits.login.unlock('srhw');
  });
});

describe(`CSRF and security headers (${backend})`, () => {
  const cookieOf = async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'admin', password: PASSWORDS.admin });
    return res.headers['set-cookie'][0].split(';')[0];
  };
  const newStaff = () => ({ username: `u${Date.now().toString(36)}`, displayName: '新人', role: 'agent' });

  it('refuses a cookie-authenticated change from another origin or without one', async () => {
    const cookie = await cookieOf();
    const evil = await t
      .http()
      .post('/api/staff')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .send(newStaff());
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('csrf_rejected');
    const bare = await t.http().post('/api/staff').set('Cookie', cookie).send(newStaff());
    expect(bare.status).toBe(403);
    const form = await t
      .http()
      .post('/api/staff')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send(newStaff());
    expect(form.status).toBeGreaterThanOrEqual(403);
    expect(form.body.error.code).toMatch(/csrf_rejected|unsupported_media_type/);
  });

  it('lets our own pages and bearer tokens through, and refuses form bodies on JSON routes', async () => {
    const cookie = await cookieOf();
    const host = '127.0.0.1:3999';
    const own = await t
      .http()
      .post('/api/staff')
      .set('Host', host)
      .set('Cookie', cookie)
      .set('Origin', `http://${host}`)
      .send(newStaff());
    expect(own.status).toBe(201);
    const viaReferer = await t
      .http()
      .post('/api/staff')
      .set('Host', host)
      .set('Cookie', cookie)
      .set('Referer', `http://${host}/admin/system`)
      .send(newStaff());
    expect(viaReferer.status).toBe(201);
    const bearer = await t.http().post('/api/staff').set('Authorization', `Bearer ${admin}`).send(newStaff());
    expect(bearer.status).toBe(201);
    const form = await t
      .http()
      .post('/api/auth/login')
      .type('form')
      .send({ username: 'admin', password: PASSWORDS.admin });
    expect(form.status).toBe(415);
  });

  it('sends the security headers on pages, the API, files and errors', async () => {
    for (const url of ['/healthz', '/api/auth/me', '/docs', '/api/nope']) {
      const res = await t.http().get(url);
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain("unsafe-inline'; script");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    expect((await t.http().get('/docs')).text).not.toMatch(/<script>/);
    const secure = await createTestContext({ jobs: false, env: { COOKIE_SECURE: 'true' } });
    try {
      expect((await secure.http().get('/healthz')).headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await secure.close();
    }
  });
});

describe(`personal data in department views and logs (${backend})`, () => {
  it("masks the citizen's phone, ID number and e-mail for department staff and in the log", async () => {
    const agent = await t.login('agent');
    const text = '东湖路井盖丢了，电话 138 1234 5678，身份证 11010519491231002X，邮箱 zhang.san@example.com';
    const filed = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send(buildReport({ text }));
    expect(filed.status).toBe(201);
    const id = filed.body.case.id;
    const asAgent = await t.http().get(`/api/cases/${id}`).set('Authorization', `Bearer ${agent}`);
    expect(asAgent.body.case.description).toContain('138 1234 5678');
    const [deptUser] = await t.services.database.db
      .select()
      .from(staffUsers)
      .where(eq(staffUsers.departmentId, filed.body.case.department.id));
    const dept = await t.login(deptUser.username as 'szss' | 'srhw');
    const asDept = await t.http().get(`/api/cases/${id}`).set('Authorization', `Bearer ${dept}`);
    expect(asDept.status).toBe(200);
    const shown = JSON.stringify(asDept.body);
    expect(shown).toContain('138****5678');
    expect(shown).not.toMatch(/1234 5678|19491231|zhang\.san/);
    t.services.log.info({ note: text }, 'probe');
    const line = t.logLines.find((l) => l.includes('"probe"'))!;
    expect(line).not.toMatch(/1234 5678|19491231|zhang\.san/);
  });
});

describe(`photos (${backend})`, () => {
  const citizen = async (openid: string) =>
    (await t.http().post('/api/citizen/dev-login').send({ openid })).body.token as string;

  it('serves a photo only to those who may see it, or by a signed link that expires', async () => {
    const owner = await citizen('photo-owner');
    const up = await t
      .http()
      .post('/api/citizen/uploads')
      .set('Authorization', `Bearer ${owner}`)
      .attach('file', await jpeg(), 'a.jpg');
    expect(up.status).toBe(201);
    const id = up.body.id as string;
    expect(up.body.url).toMatch(new RegExp(`^/files/${id}\\?exp=\\d+&sig=`));
    expect((await t.http().get(`/files/${id}`)).status).toBe(404);
    expect((await t.http().get(up.body.url)).status).toBe(200);
    expect((await t.http().get(up.body.thumbUrl)).status).toBe(200);
    // The signature's first character changed (to another one, whatever it was).
    const forged = up.body.url.replace(/sig=(.)/, (_: string, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    expect((await t.http().get(forged)).status).toBe(404);
    expect((await t.http().get(up.body.url.replace('/files/' + id, `/files/${id}/thumb`))).status).toBe(404);
    const past = t.services.fileLinks.path(id, false, Date.now() - 3 * 3600_000);
    expect((await t.http().get(past)).status).toBe(404);
    expect((await t.http().get(`/files/${id}`).set('Authorization', `Bearer ${owner}`)).status).toBe(200);
    const nosy = await citizen('photo-nosy');
    expect((await t.http().get(`/files/${id}`).set('Authorization', `Bearer ${nosy}`)).status).toBe(404);
    // Staff see it once it belongs to a case they may read; a department only its own cases.
    const agent = await t.login('agent');
    const filed = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send({ ...buildReport(), photos: [id] });
    expect(filed.status).toBe(201);
    expect((await t.http().get(`/files/${id}`).set('Authorization', `Bearer ${agent}`)).status).toBe(200);
    const dept = await t.login('srhw');
    const deptRes = await t.http().get(`/files/${id}`).set('Authorization', `Bearer ${dept}`);
    expect([200, 404]).toContain(deptRes.status);
    // Never a photo the content check refused, signed or not.
    await t.services.database.db.update(uploads).set({ checkStatus: 'refused' }).where(eq(uploads.id, id));
    expect((await t.http().get(up.body.url)).status).toBe(404);
    expect((await t.http().get(`/files/${id}`).set('Authorization', `Bearer ${admin}`)).status).toBe(404);
  });

  it('refuses images that decode to more than 40 megapixels, and limits uploads per uploader', async () => {
    const huge = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(huge.length).toBeLessThan(1024 * 1024);
    const who = await citizen('pixel-bomber');
    const res = await t
      .http()
      .post('/api/citizen/uploads')
      .set('Authorization', `Bearer ${who}`)
      .attach('file', huge, 'x.png');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('image_too_large');
    const small = await jpeg({ width: 64, height: 64 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await t
            .http()
            .post('/api/citizen/uploads')
            .set('Authorization', `Bearer ${who}`)
            .attach('file', small, 'y.jpg')
        ).status,
      );
    expect(statuses).toEqual([201, 201, 429]);
  });
});

describe(`public reads and idempotency keys (${backend})`, () => {
  it('limits the public lookups per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const url = i % 2 ? '/open311/v2/requests.json' : '/api/public/cases/2026112200001';
      statuses.push((await t.http().get(url).set('X-Forwarded-For', '203.0.113.77')).status);
    }
    expect(statuses.slice(0, 5)).not.toContain(429);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another address is not affected.
    expect((await t.http().get('/open311/v2/requests.json').set('X-Forwarded-For', '203.0.113.78')).status).toBe(200);
  });

  it('keeps each channel and each partner in its own key space', async () => {
    const shared = key();
    const agent = await t.login('agent');
    const staff = await t
      .http()
      .post('/api/reports')
      .set('Authorization', `Bearer ${agent}`)
      .send(buildReport({ idempotencyKey: shared }));
    expect(staff.status).toBe(201);
    const post = (apiKey: string) =>
      t.http().post('/open311/v2/requests.json').set('Idempotency-Key', shared).type('form').send({
        api_key: apiKey,
        service_code: '100114',
        description: '井盖丢了，很危险',
        address_string: '望江路 12 号',
      });
    const a = await post('partner-a');
    const b = await post('partner-b');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body[0].service_request_id).not.toBe(b.body[0].service_request_id);
    expect(a.body[0].service_request_id).not.toBe(staff.body.case.caseNo);
    expect((await post('partner-a')).body[0].service_request_id).toBe(a.body[0].service_request_id);
  });
});
