import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PASSWORDS, type TestContext } from '../helpers/context.js';
import { fileReport, north, places, transition } from '../helpers/factories.js';
import { verify } from '../../server/forwarding/signature.js';

let t: TestContext;
const tok: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestContext();
  for (const u of ['agent', 'supervisor', 'admin', 'szss'] as const) tok[u] = await t.login(u);
});
afterAll(() => t.close());

const as = (who: string) => ({
  get: (url: string) => t.http().get(url).set('Authorization', `Bearer ${tok[who]}`),
  post: (url: string, body?: object) =>
    t
      .http()
      .post(url)
      .set('Authorization', `Bearer ${tok[who]}`)
      .send(body ?? {}),
  put: (url: string, body: object) => t.http().put(url).set('Authorization', `Bearer ${tok[who]}`).send(body),
  del: (url: string) => t.http().delete(url).set('Authorization', `Bearer ${tok[who]}`),
});

/** A department's system: records what it is sent. */
function receiver() {
  const got: Array<{ body: string; signature: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ body, signature: req.headers['x-chengguan-signature'] as string | undefined });
      res.writeHead(200).end('{}');
    });
  });
  return { got, server, listening: new Promise<void>((r) => server.listen(0, '127.0.0.1', r)) };
}

describe('departments', () => {
  it('creates a webhook department whose secret is shown once, and 测试推送 sends a signed delivery', async () => {
    const rx = receiver();
    await rx.listening;
    try {
      const url = `http://127.0.0.1:${(rx.server.address() as AddressInfo).port}/hook`;
      const noUrl = await as('admin').post('/api/departments', {
        code: 'QJ-1',
        name: '桥梁管理所',
        delivery: 'webhook',
      });
      expect(noUrl.status).toBe(400);
      expect(noUrl.body.error.message).toMatch(/^webhookUrl/);
      const made = await as('admin').post('/api/departments', {
        code: 'QJ-1',
        name: '桥梁管理所',
        delivery: 'webhook',
        webhookUrl: url,
      });
      expect(made.status).toBe(201);
      const secret = made.body.webhookSecret as string;
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      const listed = await as('admin').get('/api/departments');
      const row = listed.body.items.find((d: { code: string }) => d.code === 'QJ-1');
      expect(row).toMatchObject({ hasWebhookSecret: true, delivery: 'webhook' });
      expect(JSON.stringify(listed.body)).not.toContain(secret);

      const pushed = await as('admin').post(`/api/departments/${row.id}/test-delivery`);
      expect(pushed.body).toMatchObject({ ok: true, status: 200 });
      expect(rx.got).toHaveLength(1);
      expect(JSON.parse(rx.got[0].body)).toMatchObject({ event: 'test' });
      expect(verify(secret, rx.got[0].body, rx.got[0].signature, 300).ok).toBe(true);

      const taken = await as('admin').post('/api/departments', { code: 'QJ-1', name: '重名' });
      expect(taken.status).toBe(409);
    } finally {
      rx.server.close();
    }
  });

  it('edits and deactivates a department; a deactivated one cannot be dispatched to', async () => {
    const made = await as('admin').post('/api/departments', { code: 'QJ-2', name: '路灯所' });
    const id = made.body.department.id;
    expect(made.body.webhookSecret).toBeUndefined();
    const renamed = await as('admin').put(`/api/departments/${id}`, { name: '路灯管理所' });
    expect(renamed.body.department.name).toBe('路灯管理所');
    expect((await as('admin').put(`/api/departments/${id}`, { active: false })).body.department.active).toBe(false);
    const c = await fileReport(t, tok.agent, { location: north(places.huPan, 2000) });
    const r = await transition(t, tok.supervisor, c.id, { action: 'dispatch', departmentId: id });
    expect(r.status).toBe(422);
    expect((await as('supervisor').post('/api/departments', { code: 'QJ-3', name: 'x' })).status).toBe(403);
  });
});

describe('staff', () => {
  it('resets a password (shown once), ends the sessions, and shows 最近登录', async () => {
    const list = await as('admin').get('/api/staff');
    const szss = list.body.items.find((u: { username: string }) => u.username === 'szss');
    expect(szss.lastLoginAt).not.toBeNull();
    const reset = await as('admin').post(`/api/staff/${szss.id}/password`);
    expect(reset.status).toBe(200);
    expect(reset.body.password).toMatch(/^\S{10,}$/);
    expect((await as('szss').get('/api/inboxes')).status).toBe(401);
    const old = await t.http().post('/api/auth/login').send({ username: 'szss', password: PASSWORDS.szss });
    expect(old.status).toBe(401);
    const fresh = await t.http().post('/api/auth/login').send({ username: 'szss', password: reset.body.password });
    expect(fresh.status).toBe(200);
    tok.szss = fresh.body.token;
    expect((await as('agent').post(`/api/staff/${szss.id}/password`)).status).toBe(403);
  });
});

describe('knowledge base', () => {
  it('lets administrators keep answers and agents find them', async () => {
    const made = await as('admin').post('/api/knowledge', {
      question: '垃圾分类投放时间',
      answer: '每天 7:00-9:00、18:00-20:00 定时定点投放',
      keywords: ['垃圾分类', '投放'],
    });
    expect(made.status).toBe(201);
    await as('admin').post('/api/knowledge', { question: '城管执法大队办事地点', answer: '东湖路 1 号一楼大厅' });
    const found = await as('agent').get(`/api/knowledge/search?q=${encodeURIComponent('垃圾 时间')}`);
    expect(found.body.items.map((a: { question: string }) => a.question)).toEqual(['垃圾分类投放时间']);
    expect((await as('agent').post('/api/knowledge', { question: '随便', answer: '写写' })).status).toBe(403);
    await as('admin').put(`/api/knowledge/${made.body.item.id}`, { active: false });
    expect((await as('agent').get('/api/knowledge/search?q=垃圾')).body.items).toEqual([]);
    expect((await as('admin').del(`/api/knowledge/${made.body.item.id}`)).status).toBe(204);
    expect((await as('agent').get('/api/knowledge/search?q=')).status).toBe(400);
  });
});

describe('figures', () => {
  it('counts 催办 in the stats', async () => {
    const c = await fileReport(t, tok.agent, { location: north(places.huPan, 2600) });
    await transition(t, tok.supervisor, c.id, { action: 'dispatch' });
    const before = (await as('supervisor').get('/api/stats')).body.supervision;
    await transition(t, tok.supervisor, c.id, { action: 'urge', note: '请尽快处理' });
    await transition(t, tok.supervisor, c.id, { action: 'urge', note: '再次催办' });
    const after = (await as('supervisor').get('/api/stats')).body.supervision;
    expect(after.urges).toBe(before.urges + 2);
    expect(after.urgedCases).toBe(before.urgedCases + 1);
  });
});
