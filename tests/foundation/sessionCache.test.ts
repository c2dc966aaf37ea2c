import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { until } from '../helpers/wait.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { SessionStore } from '../../server/auth/sessions.js';

let t: TestContext;
/** A second instance's view: its own connection on PostgreSQL (PGlite has one database in one process). */
let other: Database;
let otherSessions: SessionStore;
beforeAll(async () => {
  t = await createTestContext({ jobs: false });
  const { database } = t.services;
  other = database.url ? await openDatabase({ url: database.url, poolMax: 2 }) : database;
  otherSessions = new SessionStore(other, 8);
});
afterAll(async () => {
  if (other !== t.services.database) await other.close();
  await t.close();
});

const me = (token: string) => t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`);

async function agentId(token: string): Promise<string> {
  const res = await me(token);
  expect(res.status).toBe(200);
  return res.body.user?.id ?? res.body.id;
}

const setActive = (id: string, active: boolean) =>
  t.services.database.executor.executeSql('update staff_users set active = $1 where id = $2', [active, id]);

describe('cached staff sessions', () => {
  it('refuse a disabled account on this instance at once', async () => {
    const admin = await t.login('admin');
    const token = await t.login('szss');
    const id = await agentId(token);
    expect((await me(token)).status).toBe(200); // now cached
    const off = await t.http().put(`/api/staff/${id}`).set('Authorization', `Bearer ${admin}`).send({ active: false });
    expect(off.status).toBe(200);
    expect((await me(token)).status).toBe(401);
    await t.http().put(`/api/staff/${id}`).set('Authorization', `Bearer ${admin}`).send({ active: true });
  });

  it('refuse a token logged out on this instance at once', async () => {
    const token = await t.login('srhw');
    expect((await me(token)).status).toBe(200);
    expect((await me(token)).status).toBe(200);
    expect((await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(204);
    expect((await me(token)).status).toBe(401);
  });

  it('reach another instance through the notification: an account disabled in SQL, a session ended', async () => {
    const token = await t.login('agent');
    const id = await agentId(token);
    expect(await otherSessions.resolve(token)).toMatchObject({ id });
    // By hand in SQL: neither instance is told but by the trigger.
    await setActive(id, false);
    await until(async () => (await otherSessions.resolve(token)) === null, 20_000, 'the other instance to drop it');
    await until(async () => (await me(token)).status === 401, 20_000, 'this instance to drop it');
    await setActive(id, true);
    await until(async () => (await otherSessions.resolve(token)) !== null, 20_000, 'the account back');

    await t.services.sessions.revoke(token);
    await until(async () => (await otherSessions.resolve(token)) === null, 20_000, 'the ended session to be dropped');
  });

  it('keep working across a login, whose last-login stamp and clean-up notify nobody', async () => {
    const token = await t.login('supervisor');
    expect((await me(token)).status).toBe(200);
    await t.login('supervisor');
    expect((await me(token)).status).toBe(200);
  });
});
