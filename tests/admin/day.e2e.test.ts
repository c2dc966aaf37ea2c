import { existsSync } from 'node:fs';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { buildReport, north, places, toSurveyStage, transition } from '../helpers/factories.js';
import { byTestId, CHROMIUM, launch, openDesk, readmeShot, signIn, STEP_MS, submitDialog } from './browser.js';
import { TestEslServer } from '../../telephony/testing/esl-server.js';
import type { OriginateSeen, SimCall } from '../../telephony/testing/sim-call.js';
import { startFakeSms, type FakeSms } from '../fakes/sms/server.js';

// A working day at the desk, through the console's inboxes: an agent files three cases (a 咨询
// answered on the spot, a 紧急 one and an ordinary one), a supervisor dispatches from 待派遣 and
// urges one, the department accepts and resolves from its own inboxes, and 核查 passes. Each step
// files the cases it works on through the API, so it passes alone and in any order. The agent's
// cases come in by two calls from the FreeSWITCH test server (a reload mid-call keeps the pop) and
// the callers get their case numbers by SMS (the Aliyun fake); a case whose automatic survey call
// rings out is called back from 回访回拨 through the PBX (the agent's extension, then the citizen
// from the hotline), and the answer the agent enters closes it.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ready = existsSync(path.join(root, 'admin/dist/index.html')) && existsSync(CHROMIUM);

let t: TestContext;
let server: Server;
let base: string;
let browser: Browser;
let spots = 0;
let esl: TestEslServer;
/** Every call the PBX was asked to place; a citizen answers only once the agent calls back. */
const dialled: OriginateSeen[] = [];
let citizenAnswers = false;
let sms: FakeSms;
const SMS_TEMPLATES = {
  SMS_TEMPLATE_REGISTERED: 'SMS_200001',
  SMS_TEMPLATE_DISPATCHED: 'SMS_200002',
  SMS_TEMPLATE_RESOLVED: 'SMS_200003',
};

/** A registered (立案) case of this test's own, filed by the agent through the API, away from every other. */
async function registered(urgency: '紧急' | '一般', categoryCode: string, text: string, phone?: string) {
  const res = await t
    .http()
    .post('/api/reports')
    .set('Authorization', `Bearer ${await t.login('agent')}`)
    .send({
      ...buildReport({
        text,
        categoryCode,
        location: north(places.huPan, 300 + 120 * spots++),
        address: '湖畔社区',
        ...(phone ? { phone } : {}),
      }),
      urgency,
    });
  expect(res.status).toBe(201);
  expect(res.body.case.state).toBe('立案');
  return res.body.case as { id: string; caseNo: string };
}

async function inboxCount(username: 'szss' | 'supervisor', inbox: string): Promise<number> {
  const res = await t
    .http()
    .get('/api/inboxes')
    .set('Authorization', `Bearer ${await t.login(username)}`);
  return res.body.items.find((i: { name: string }) => i.name === inbox).count;
}

/** Fills the complaint form, places it by its address, submits it and returns the case number. */
async function file(page: Page, text: string, address: string, urgent: boolean) {
  await byTestId(page, 'complaint-text').fill(text);
  await byTestId(page, 'category-suggested-name').waitFor();
  if (urgent) await byTestId(page, 'complaint-urgency').getByText('紧急').click();
  await byTestId(page, 'complaint-address').fill(address);
  await page.locator('[data-testid="location-value"][data-source="address"]').waitFor();
  await byTestId(page, 'submit-report').click();
  const caseNo = await byTestId(page, 'submit-result-caseno').innerText();
  await byTestId(page, 'new-report').click();
  return caseNo;
}

async function openFromInbox(page: Page, inbox: string, caseNo: string) {
  await byTestId(page, `menu-inbox-${inbox}`).click();
  const row = page.locator(`[data-testid="inbox-row"][data-case-no="${caseNo}"]`);
  await row.waitFor();
  await row.locator('[data-testid="inbox-case-link"]').click();
  await page.locator(`[data-testid="case-detail"][data-case-no="${caseNo}"]`).waitFor();
}

async function act(page: Page, action: string, note?: string) {
  await byTestId(page, `action-${action}`).click();
  const dialog = page.locator(`[data-testid="transition-dialog"][data-action="${action}"]`);
  await dialog.waitFor();
  if (note) await byTestId(page, 'transition-note').fill(note);
  const request = await submitDialog(page, dialog, action);
  const res = await request.response();
  expect(res?.status(), `${action}: ${request.failure()?.errorText ?? (await res?.text())}`).toBe(200);
}

const state = (page: Page) =>
  byTestId(page, 'case-detail').locator('[data-testid="case-state"]').getAttribute('data-state');

describe.runIf(ready)('a day at the desk, through the inboxes', () => {
  beforeAll(async () => {
    // The agent's phone is 8001: a caller who presses 3 for an agent is bridged to it.
    esl = new TestEslServer({ agents: ['8001'] });
    const pbxPort = await esl.listen();
    esl.onOriginate((request) => {
      dialled.push(request);
      return request.destination === '8001' || citizenAnswers ? 'answer' : 'no_answer';
    });
    sms = await startFakeSms('aliyun', Object.fromEntries(Object.values(SMS_TEMPLATES).map((id) => [id, ['caseNo']])));
    t = await createTestContext({
      workers: true,
      env: {
        SERVE_UI: 'true',
        PBX: 'freeswitch',
        PBX_PORT: String(pbxPort),
        PBX_PASSWORD: 'ClueCon',
        HOTLINE_NUMBERS: '12319',
        // One automatic call, at any hour, by phone only: when it rings out the survey waits in 回访回拨.
        SURVEY_CHANNEL_ORDER: 'phone',
        SURVEY_CALL_HOURS: '00:00-24:00',
        SURVEY_MAX_ATTEMPTS: '1',
        // Citizens who came by phone get their case number by SMS (the fake checks the signature).
        SMS_PROVIDER: 'aliyun',
        SMS_BASE_URL: sms.url,
        SMS_ACCESS_KEY_ID: sms.keyId,
        SMS_ACCESS_KEY_SECRET: sms.keySecret,
        SMS_SIGN_NAME: '城管热线',
        ...SMS_TEMPLATES,
      },
    });
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launch();
    const admin = await t.login('admin');
    await t
      .http()
      .post('/api/knowledge')
      .set('Authorization', `Bearer ${admin}`)
      .send({ question: '垃圾分类投放时间', answer: '每天 7:00-9:00、18:00-20:00 定时定点投放', keywords: ['垃圾'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
    await t?.services.pbx?.stop();
    await t?.close();
    await esl?.close();
    await sms?.close();
  });

  /** A citizen calls 12319 and presses 3 for an agent: the call is bridged to 8001 and pops on the desk. */
  async function takeCall(page: Page, from: string): Promise<SimCall> {
    const call = esl.simulateInboundCall({ from, to: '12319' });
    call.onCollect(() => '3');
    await expect.poll(() => byTestId(page, 'screenpop-call-id').innerText(), { timeout: STEP_MS }).toBe(call.id);
    return call;
  }

  it('the agent takes two calls, answers a 咨询 from the knowledge base and files a 紧急 and an ordinary case', async () => {
    const agent = await openDesk(browser);
    const { page } = agent;
    await page.goto(`${base}/admin/`);
    await signIn(page, 'agent');
    await page.waitForURL(/\/admin\/desk$/);

    // The first call: a question answered on the spot, and a 紧急 report; the page is reloaded mid-call.
    const first = await takeCall(page, '13800138321');
    await byTestId(page, 'complaint-text').fill('请问我们小区垃圾分类什么时候投放');
    await byTestId(page, 'complaint-kind').getByText('咨询（当场答复）').click();
    await byTestId(page, 'knowledge-query').fill('垃圾');
    await byTestId(page, 'knowledge-item').first().click();
    expect(await byTestId(page, 'complaint-answer').inputValue()).toContain('定时定点投放');
    await byTestId(page, 'submit-report').click();
    expect(await byTestId(page, 'submit-result').innerText()).toContain('咨询已答复办结');
    await byTestId(page, 'new-report').click();

    await page.reload();
    await expect.poll(() => byTestId(page, 'screenpop-call-id').innerText(), { timeout: STEP_MS }).toBe(first.id);
    const urgent = await file(page, '井盖丢了，刚才有人差点掉下去，太危险了', '湖畔社区东湖路12号', true);
    first.hangup();
    await first.ended;
    // The second call: an ordinary report.
    await takeCall(page, '13800138322');
    const ordinary = await file(
      page,
      '东湖路湖畔社区门口的路灯坏了好几天了，晚上一片漆黑',
      '湖畔社区东湖路18号',
      false,
    );
    const token = await t.login('supervisor');
    const listed = async (caseNo: string) =>
      (await t.http().get(`/api/cases?q=${caseNo}`).set('Authorization', `Bearer ${token}`)).body.items[0];
    // Filed during the calls: hotline cases, linked to them.
    expect(await listed(urgent)).toMatchObject({ priority: '紧急', channel: 'hotline' });
    expect(await listed(ordinary)).toMatchObject({ channel: 'hotline' });
    expect((await listed(ordinary)).priority).not.toBe('紧急');
    expect(agent.errors).toEqual([]);
    // Each caller had the case number by SMS at 受理.
    await expect
      .poll(() => sms.sent.map((m) => `${m.phone} ${m.templateId} ${m.params.caseNo}`), { timeout: STEP_MS })
      .toEqual(
        expect.arrayContaining([
          `13800138321 ${SMS_TEMPLATES.SMS_TEMPLATE_REGISTERED} ${urgent}`,
          `13800138322 ${SMS_TEMPLATES.SMS_TEMPLATE_REGISTERED} ${ordinary}`,
        ]),
      );
  }, 300_000);

  it('the supervisor dispatches both from 待派遣 and urges the 紧急 one', async () => {
    const ordinary = await registered('一般', '100118', '湖畔社区北门的路灯坏了，晚上看不清路');
    const urgent = await registered('紧急', '100114', '湖畔社区北边井盖丢了，有人差点掉下去');
    const supervisor = await openDesk(browser);
    const { page } = supervisor;
    await page.goto(`${base}/admin/`);
    await signIn(page, 'supervisor');
    await byTestId(page, 'menu-inbox-dispatch').click();
    await page.locator(`[data-testid="inbox-row"][data-case-no="${urgent.caseNo}"]`).waitFor();
    await readmeShot(page, 'admin-inbox.png');
    // The 紧急 one last: the urge is sent from its page.
    for (const { caseNo } of [ordinary, urgent]) {
      await openFromInbox(page, 'dispatch', caseNo);
      await act(page, 'dispatch');
      await expect.poll(() => state(page), { timeout: STEP_MS }).toBe('派遣');
    }
    await act(page, 'urge', '市民再次来电，请优先处理');
    await expect.poll(() => byTestId(page, 'case-urge-count').innerText(), { timeout: STEP_MS }).toBe('1');
    expect(supervisor.errors).toEqual([]);
  }, 300_000);

  it('the department sees the urge in 催办, accepts and resolves from its inboxes; 核查 passes', async () => {
    const urgent = await registered('紧急', '100114', '湖畔社区西侧人行道井盖松动，踩上去会翻');
    const sup = await t.login('supervisor');
    expect((await transition(t, sup, urgent.id, { action: 'dispatch' })).status).toBe(200);
    const urgedBefore = await inboxCount('szss', 'urged');
    expect((await transition(t, sup, urgent.id, { action: 'urge', note: '市民再次来电，请优先处理' })).status).toBe(
      200,
    );

    const department = await openDesk(browser);
    const { page } = department;
    await page.goto(`${base}/admin/`);
    await signIn(page, 'szss');
    await expect
      .poll(() => byTestId(page, 'inbox-count-urged').innerText(), { timeout: STEP_MS })
      .toBe(String(urgedBefore + 1));
    await openFromInbox(page, 'urged', urgent.caseNo);
    await openFromInbox(page, 'accept', urgent.caseNo);
    await act(page, 'accept');
    await expect.poll(() => state(page), { timeout: STEP_MS }).toBe('处置中');
    await openFromInbox(page, 'working', urgent.caseNo);
    await act(page, 'resolve', '已补装井盖并设置警示');
    await expect.poll(() => state(page), { timeout: STEP_MS }).toBe('核查');
    expect(department.errors).toEqual([]);

    const supervisor = await openDesk(browser);
    const sp = supervisor.page;
    await sp.goto(`${base}/admin/`);
    await signIn(sp, 'supervisor');
    await openFromInbox(sp, 'check', urgent.caseNo);
    await act(sp, 'check_pass');
    await expect.poll(() => state(sp), { timeout: STEP_MS }).toBe('回访');
    expect(supervisor.errors).toEqual([]);
  }, 300_000);

  it('the automatic survey call rings out; the agent calls back from 回访回拨 through the PBX and the answer closes the case', async () => {
    const citizen = '13800138323';
    const kase = await registered('紧急', '100114', '湖畔社区南门井盖破了个洞，小孩差点踩进去', citizen);
    await toSurveyStage(t, kase.id);
    const sup = await t.login('supervisor');
    // 受理, 派遣 and 处置 reached the caller by SMS.
    await expect
      .poll(
        () =>
          sms.sent
            .filter((m) => m.phone === citizen)
            .map((m) => m.templateId)
            .sort(),
        { timeout: STEP_MS },
      )
      .toEqual(Object.values(SMS_TEMPLATES).sort());

    const agent = await openDesk(browser);
    const { page } = agent;
    await page.goto(`${base}/admin/`);
    await signIn(page, 'agent');
    await byTestId(page, 'desk-tab-callbacks').click();
    const row = page.locator(`[data-testid="callback-row"][data-case-no="${kase.caseNo}"]`);
    await expect
      .poll(
        async () => {
          await byTestId(page, 'callback-reload').click();
          return row.count();
        },
        { timeout: STEP_MS * 2, interval: 1000 },
      )
      .toBe(1);
    // The survey job called once, and nobody answered: the queue says so.
    expect(dialled.filter((d) => d.destination === citizen)).toHaveLength(1);
    expect(await row.locator('[data-testid="callback-attempts"]').innerText()).toBe('自动 1 次');
    expect(await byTestId(page, 'callback-no-pbx').count()).toBe(0);

    citizenAnswers = true;
    const placed = page.waitForResponse((r) => r.url().endsWith('/callback-call'));
    await row.locator('[data-testid="callback-dial"]').click();
    expect((await placed).status()).toBe(202);
    await expect
      .poll(() => dialled.slice(-2).map((d) => [d.destination, d.callerId]))
      .toEqual([
        ['8001', '12319'],
        [citizen, '12319'],
      ]);
    await expect.poll(() => row.locator('[data-testid="callback-pending"]').count()).toBe(1);
    expect(await row.locator('[data-testid="callback-attempts"]').innerText()).toBe('自动 1 次，人工 1 次');
    await readmeShot(page, 'admin-callback.png');

    await row.locator('[data-testid="callback-answer"]').click();
    await byTestId(page, 'callback-result').getByText('满意', { exact: true }).click();
    const answered = page.waitForResponse((r) => r.url().endsWith('/answer'));
    await byTestId(page, 'callback-submit').click();
    expect((await answered).status()).toBe(200);
    const stateOf = async () =>
      (await t.http().get(`/api/cases?q=${kase.caseNo}`).set('Authorization', `Bearer ${sup}`)).body.items[0].state;
    await expect.poll(stateOf, { timeout: STEP_MS }).toBe('结案');
    expect(agent.errors).toEqual([]);
  }, 300_000);
});
