import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PASSWORDS, type TestContext } from '../helpers/context.js';
import { authorize, can, type Actor } from '../../server/auth/policy.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ jobs: false, env: { LOGIN_MAX_FAILURES: '3', TRUST_PROXY: '1' } });
});
afterAll(() => t.close());

describe('login and logout', () => {
  it('logs in with the right password, sets an HTTP-only cookie and answers /me', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'agent', password: PASSWORDS.agent });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'agent', role: 'agent' });
    expect(res.body.user.passwordHash).toBeUndefined();
    const cookie = res.headers['set-cookie'][0];
    expect(cookie).toMatch(/cg_session=/);
    expect(cookie).toMatch(/httponly/i);
    const me = await t.http().get('/api/auth/me').set('Cookie', cookie.split(';')[0]);
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('agent');
    const bearer = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(bearer.body.user.role).toBe('agent');
  });

  it('refuses a wrong password with 401 and the same message as an unknown user', async () => {
    const wrong = await t.http().post('/api/auth/login').send({ username: 'supervisor', password: 'nope' });
    const unknown = await t.http().post('/api/auth/login').send({ username: 'ghost', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('ends the session on logout', async () => {
    const token = await t.login('szss');
    expect((await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const out = await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${token}`);
    expect(out.status).toBe(204);
    const after = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
  });

  it('validates the login body', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('password: required');
  });
});

describe('brute-force protection', () => {
  it('locks an account after repeated failures, even for the right password, and says when to retry', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'srhw', password: `guess-${i}` });
      expect(r.status).toBe(401);
    }
    const locked = await t.http().post('/api/auth/login').send({ username: 'srhw', password: PASSWORDS.srhw });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Other accounts from another address are unaffected.
    const other = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', '10.9.9.9')
      .send({ username: 'admin', password: PASSWORDS.admin });
    expect(other.status).toBe(200);
  });

  it('limits one address guessing across many accounts', async () => {
    const ip = '10.1.2.3';
    let last = 0;
    for (let i = 0; i < 13; i++) {
      const r = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ username: `user${i}`, password: 'x' });
      last = r.status;
    }
    expect(last).toBe(429);
  });
});

describe('roles and policy', () => {
  const actor = (role: Actor['role'], departmentId: number | null = null): Actor => ({
    id: 'u',
    username: 'u',
    role,
    departmentId,
  });

  it('grants by role', () => {
    expect(can(actor('agent'), 'report.create')).toBe(true);
    expect(can(actor('agent'), 'stats.read')).toBe(false);
    expect(can(actor('supervisor'), 'stats.read')).toBe(true);
    expect(can(actor('department', 1), 'report.create')).toBe(false);
    expect(can(actor('admin'), 'staff.manage')).toBe(true);
    expect(can(actor('supervisor'), 'staff.manage')).toBe(false);
  });

  it('keeps department staff to their own department', () => {
    expect(can(actor('department', 1), 'case.read', { departmentId: 1 })).toBe(true);
    expect(can(actor('department', 1), 'case.read', { departmentId: 2 })).toBe(false);
    expect(can(actor('department', 1), 'case.read', { departmentId: null })).toBe(false);
    expect(() => authorize(actor('department', 1), 'case.read', { departmentId: 2 })).toThrow(/无权/);
    expect(() => authorize(undefined, 'case.read')).toThrow();
  });
});

describe('staff accounts', () => {
  it('lets an admin create an account whose generated password is shown once and works', async () => {
    const admin = await t.login('admin');
    const res = await t
      .http()
      .post('/api/staff')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: 'agent2', displayName: '坐席 王芳', role: 'agent', extension: '8002' });
    expect(res.status).toBe(201);
    expect(res.body.password).toMatch(/^\S{14}$/);
    expect(res.body.user.passwordHash).toBeUndefined();
    const login = await t.http().post('/api/auth/login').send({ username: 'agent2', password: res.body.password });
    expect(login.status).toBe(200);
    const dup = await t
      .http()
      .post('/api/staff')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: 'agent2', displayName: 'x', role: 'agent' });
    expect(dup.status).toBe(409);
    const noDept = await t
      .http()
      .post('/api/staff')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: 'dept9', displayName: 'x', role: 'department' });
    expect(noDept.status).toBe(400);
    const list = await t.http().get('/api/staff').set('Authorization', `Bearer ${admin}`);
    expect(list.body.items.map((u: any) => u.username)).toContain('agent2');
    const sup = await t.login('supervisor');
    expect((await t.http().get('/api/staff').set('Authorization', `Bearer ${sup}`)).status).toBe(403);
    const off = await t
      .http()
      .put(`/api/staff/${res.body.user.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ active: false });
    expect(off.body.user.active).toBe(false);
    expect(
      (await t.http().post('/api/auth/login').send({ username: 'agent2', password: res.body.password })).status,
    ).toBe(401);
  });
});
