import { randomUUID } from 'node:crypto';
import type { TestContext } from './context.js';

/** Points inside the demo city: street S01 (东湖街道) is the westmost column, communities stack north. */
export const places = {
  huPan: { lat: 30.205, lng: 120.115 }, // 东湖街道 湖畔社区 第1网格
  wangJiang: { lat: 30.235, lng: 120.115 }, // 东湖街道 望江社区
  wenChang: { lat: 30.205, lng: 120.175 }, // 西城街道 文昌社区
  outside: { lat: 31.5, lng: 121.5 },
};

/** A point about `metres` north of another. */
export const north = (p: { lat: number; lng: number }, metres: number) => ({
  lat: p.lat + metres / 111_000,
  lng: p.lng,
});

export const key = () => `test-${randomUUID()}`;

export interface ReportOverrides {
  text?: string;
  categoryCode?: string;
  location?: { lat: number; lng: number } | null;
  address?: string;
  phone?: string;
  idempotencyKey?: string;
  channel?: 'hotline' | 'agent';
  callId?: string;
}

export function buildReport(o: ReportOverrides = {}) {
  const body: Record<string, unknown> = {
    idempotencyKey: o.idempotencyKey ?? key(),
    channel: o.channel ?? 'hotline',
    text: o.text ?? '东湖路上有个井盖没有了，路过的人很容易踩空，请尽快处理',
    categoryCode: o.categoryCode ?? '100114',
    location: o.location === null ? undefined : (o.location ?? places.huPan),
    address: o.address ?? '东湖路18号附近',
  };
  if (o.phone) body.phone = o.phone;
  if (o.callId) body.callId = o.callId;
  return body;
}

/** Files a report as the agent and returns the case summary. */
export async function fileReport(t: TestContext, token: string, o: ReportOverrides = {}) {
  const res = await t.http().post('/api/reports').set('Authorization', `Bearer ${token}`).send(buildReport(o));
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`report failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.case as {
    id: string;
    caseNo: string;
    state: string;
    version: number;
    department: { id: number } | null;
  };
}

export async function transition(t: TestContext, token: string, caseId: string, body: Record<string, unknown>) {
  let version = body.version as number | undefined;
  if (version == null) {
    const detail = await t.http().get(`/api/cases/${caseId}`).set('Authorization', `Bearer ${token}`);
    version = detail.body.case.version;
  }
  return t
    .http()
    .post(`/api/cases/${caseId}/transitions`)
    .set('Authorization', `Bearer ${token}`)
    .send({ ...body, version });
}

/** Takes a registered case through 派遣, 处置 and 核查 to 回访, as the supervisor and the department (szss) would. */
export async function toSurveyStage(t: TestContext, caseId: string, note = '已处理') {
  const [sup, dept] = [await t.login('supervisor'), await t.login('szss')];
  for (const [token, action] of [
    [sup, 'dispatch'],
    [dept, 'accept'],
    [dept, 'resolve'],
    [sup, 'check_pass'],
  ] as const) {
    const res = await transition(t, token, caseId, { action, note });
    if (res.status !== 200) throw new Error(`${action} failed ${res.status} ${JSON.stringify(res.body)}`);
  }
}
