import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import exifr from 'exifr';
import { createTestContext, testEnv, type TestContext } from '../helpers/context.js';
import { loadConfig } from '../../server/config.js';
import { key, places } from '../helpers/factories.js';
import { bigJpeg, jpeg } from '../helpers/images.js';
import { startFakeWechat, type FakeWechat, RISKY_WORD } from '../fakes/wechat/server.js';
import { cases } from '../../server/db/schema.js';

let t: TestContext;
let fake: FakeWechat;
let token: string;

beforeAll(async () => {
  fake = await startFakeWechat();
  t = await createTestContext({
    env: { WECHAT_API_BASE: fake.url, WECHAT_APPID: fake.appid, WECHAT_SECRET: fake.secret, DEV_LOGIN: 'true' },
  });
  fake.registerCode('code-ok', { openid: 'o-citizen-1', unionid: 'u-1' });
  const res = await t.http().post('/api/citizen/login').send({ code: 'code-ok' });
  expect(res.status).toBe(200);
  token = res.body.token;
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const auth = () => ({ Authorization: `Bearer ${token}` });

describe('mini-program login', () => {
  it('exchanges a wx.login code for a session and refuses an unknown one', async () => {
    const bad = await t.http().post('/api/citizen/login').send({ code: 'never-issued' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_code');
    const empty = await t.http().post('/api/citizen/login').send({});
    expect(empty.status).toBe(400);
    const me = await t.http().get('/api/citizen/reports').set(auth());
    expect(me.status).toBe(200);
    const forged = await t
      .http()
      .get('/api/citizen/reports')
      .set('Authorization', `Bearer ${token.slice(0, -2)}xx`);
    expect(forged.status).toBe(401);
  });

  it('maps WeChat rate limits to 429', async () => {
    fake.registerCode('code-busy', { openid: 'o-busy' });
    fake.setRateLimited('jscode2session', true);
    const res = await t.http().post('/api/citizen/login').send({ code: 'code-busy' });
    fake.setRateLimited('jscode2session', false);
    expect(res.status).toBe(429);
  });

  it('has a development login only when DEV_LOGIN=true, and never in production', async () => {
    const dev = await t.http().post('/api/citizen/dev-login').send({ openid: 'dev-tester' });
    expect(dev.status).toBe(200);
    const plain = await createTestContext({ jobs: false });
    const res = await plain.http().post('/api/citizen/dev-login').send({ openid: 'dev-tester' });
    expect(res.status).toBe(404);
    await plain.close();
    expect(() => loadConfig(testEnv({ NODE_ENV: 'production', DEV_LOGIN: 'true' }))).toThrow(/DEV_LOGIN/);
  });
});

describe('photo uploads', () => {
  it('reads GPS from EXIF, stores the photo without EXIF and makes a thumbnail', async () => {
    const photo = await jpeg({ gps: places.huPan });
    expect((await exifr.gps(photo))?.latitude).toBeCloseTo(places.huPan.lat, 3);
    const res = await t.http().post('/api/citizen/uploads').set(auth()).attach('file', photo, 'IMG_0001.jpg');
    expect(res.status).toBe(201);
    expect(res.body.gps.lat).toBeCloseTo(places.huPan.lat, 3);
    expect(res.body.gps.lng).toBeCloseTo(places.huPan.lng, 3);
    const stored = await t
      .http()
      .get(res.body.url)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(stored.headers['content-type']).toBe('image/jpeg');
    expect(await exifr.gps(stored.body as Buffer).catch(() => undefined)).toBeFalsy();
    const thumb = await t.http().get(res.body.thumbUrl);
    expect(thumb.status).toBe(200);
  });

  it('refuses a file that is not an image, whatever its name', async () => {
    const res = await t
      .http()
      .post('/api/citizen/uploads')
      .set(auth())
      .attach('file', Buffer.from('MZ\x90\x00 this is not a picture at all'), 'photo.jpg');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('not_an_image');
  });

  it('refuses a photo over 10 MB', async () => {
    const big = await bigJpeg(10 * 1024 * 1024 + 1);
    const res = await t.http().post('/api/citizen/uploads').set(auth()).attach('file', big, 'huge.jpg');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('file_too_large');
  });

  it('needs a citizen session and a file field', async () => {
    expect(
      (
        await t
          .http()
          .post('/api/citizen/uploads')
          .attach('file', await jpeg(), 'a.jpg')
      ).status,
    ).toBe(401);
    const noFile = await t.http().post('/api/citizen/uploads').set(auth()).field('other', 'x');
    expect(noFile.status).toBe(400);
  });
});

describe('reports from the mini-program', () => {
  it('submits once per idempotency key, with photos, and shows it in 我的上报 and its detail', async () => {
    const up = await t
      .http()
      .post('/api/citizen/uploads')
      .set(auth())
      .attach('file', await jpeg({ gps: places.wangJiang }), 'a.jpg');
    const body = {
      idempotencyKey: key(),
      text: '望江小区门口的人行道上有辆废弃的电动车放了好几个月了',
      location: up.body.gps,
      photos: [up.body.id],
      address: '望江小区北门',
    };
    const first = await t.http().post('/api/citizen/reports').set(auth()).send(body);
    expect(first.status).toBe(201);
    expect(first.body.caseNo).toMatch(/^\d{13}$/);
    const retry = await t.http().post('/api/citizen/reports').set(auth()).send(body);
    expect(retry.status).toBe(200);
    expect(retry.body.caseNo).toBe(first.body.caseNo);

    const list = await t.http().get('/api/citizen/reports').set(auth());
    expect(list.body.items.map((i: any) => i.caseNo)).toContain(first.body.caseNo);
    const detail = await t.http().get(`/api/citizen/reports/${first.body.caseNo}`).set(auth());
    expect(detail.status).toBe(200);
    expect(detail.body.photos).toHaveLength(1);
    expect(detail.body.timeline[0].label).toBe('已受理');
    expect(detail.body.survey.pending).toBe(false);
    const [row] = await t.services.database.db.select().from(cases).where(eq(cases.caseNo, first.body.caseNo));
    expect(row.channel).toBe('miniprogram');
  });

  it('refuses text that fails the content check, and stores nothing', async () => {
    const before = await t.http().get('/api/citizen/reports').set(auth());
    const res = await t
      .http()
      .post('/api/citizen/reports')
      .set(auth())
      .send({ idempotencyKey: key(), text: `路边有人卖${RISKY_WORD}的东西`, location: places.huPan });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('content_refused');
    const after = await t.http().get('/api/citizen/reports').set(auth());
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it("refuses someone else's photo, too many photos and a too-short description", async () => {
    const other = await t.http().post('/api/citizen/dev-login').send({ openid: 'dev-other' });
    const theirs = await t
      .http()
      .post('/api/citizen/uploads')
      .set('Authorization', `Bearer ${other.body.token}`)
      .attach('file', await jpeg(), 'b.jpg');
    const res = await t
      .http()
      .post('/api/citizen/reports')
      .set(auth())
      .send({ idempotencyKey: key(), text: '这里的垃圾桶坏了很久', location: places.huPan, photos: [theirs.body.id] });
    expect(res.status).toBe(400);
    const seven = Array.from({ length: 7 }, () => theirs.body.id);
    const many = await t
      .http()
      .post('/api/citizen/reports')
      .set(auth())
      .send({ idempotencyKey: key(), text: '这里的垃圾桶坏了很久', photos: seven });
    expect(many.status).toBe(400);
    expect(many.body.error.message).toContain('6');
    const short = await t.http().post('/api/citizen/reports').set(auth()).send({ idempotencyKey: key(), text: '坏了' });
    expect(short.status).toBe(400);
  });

  it("never shows another citizen's case, and the public lookup shows no personal data", async () => {
    const mine = await t.http().post('/api/citizen/reports').set(auth()).send({
      idempotencyKey: key(),
      text: '学院路公交站旁边的路灯一到晚上就闪个不停',
      location: places.wenChang,
      address: '学院路公交站',
    });
    const other = await t.http().post('/api/citizen/dev-login').send({ openid: 'dev-nosy' });
    const peek = await t
      .http()
      .get(`/api/citizen/reports/${mine.body.caseNo}`)
      .set('Authorization', `Bearer ${other.body.token}`);
    expect(peek.status).toBe(404);
    const pub = await t.http().get(`/api/public/cases/${mine.body.caseNo}`);
    expect(pub.status).toBe(200);
    expect(pub.body.caseNo).toBe(mine.body.caseNo);
    expect(JSON.stringify(pub.body)).not.toContain('学院路公交站旁边');
    expect(pub.body.address).toBe('西城街道 文昌社区');
    expect((await t.http().get('/api/public/cases/123')).status).toBe(400);
    expect((await t.http().get('/api/public/cases/2000010100001')).status).toBe(404);
  });

  it('suggests a category while the citizen types, and serves the category tree', async () => {
    const res = await t.http().post('/api/classify').send({ text: '小区门口天天有人摆摊卖水果，把路都占了' });
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('事件');
    expect(res.body.alternatives.length).toBeGreaterThan(0);
    const tree = await t.http().get('/api/categories');
    expect(tree.body.items.find((m: any) => m.code === '2005').children.map((c: any) => c.name)).toContain('店外经营');
  });
});

describe('WeChat message push: asynchronous image verdicts', () => {
  it('hides a photo WeChat refuses, and answers only signed pushes', async () => {
    const { createHash } = await import('node:crypto');
    const own = await createTestContext({
      jobs: false,
      env: {
        WECHAT_API_BASE: fake.url,
        WECHAT_APPID: fake.appid,
        WECHAT_SECRET: fake.secret,
        WECHAT_PUSH_TOKEN: 'push-token',
        PUBLIC_BASE_URL: 'https://12319.example.gov.cn',
      },
    });
    try {
      fake.registerCode('code-push', { openid: 'o-push' });
      const login = await own.http().post('/api/citizen/login').send({ code: 'code-push' });
      const h = { Authorization: `Bearer ${login.body.token}` };
      const up = await own
        .http()
        .post('/api/citizen/uploads')
        .set(h)
        .attach('file', await jpeg(), 'p.jpg');
      const rep = await own
        .http()
        .post('/api/citizen/reports')
        .set(h)
        .send({
          idempotencyKey: key(),
          text: '东湖路上的垃圾箱被人砸坏了',
          location: places.huPan,
          photos: [up.body.id],
        });
      expect(rep.status).toBe(201);
      const { uploads } = await import('../../server/db/schema.js');
      const [row] = await own.services.database.db.select().from(uploads).where(eq(uploads.id, up.body.id));
      expect(row.checkStatus).toBe('pending');
      const q = (timestamp: string, nonce: string) => {
        const signature = createHash('sha1').update(['push-token', timestamp, nonce].sort().join('')).digest('hex');
        return `timestamp=${timestamp}&nonce=${nonce}&signature=${signature}`;
      };
      const unsigned = await own
        .http()
        .post('/api/wechat/events')
        .send({ Event: 'wxa_media_check', trace_id: row.checkTraceId, result: { suggest: 'risky', label: 20002 } });
      expect(unsigned.status).toBe(401);
      const push = await own
        .http()
        .post(`/api/wechat/events?${q('1700000000', 'n1')}`)
        .send({
          ToUserName: 'gh_x',
          Event: 'wxa_media_check',
          trace_id: row.checkTraceId,
          result: { suggest: 'risky', label: 20002 },
        });
      expect(push.text).toBe('success');
      const detail = await own.http().get(`/api/citizen/reports/${rep.body.caseNo}`).set(h);
      expect(detail.body.photos).toHaveLength(0);
      const check = await own.http().get(`/api/wechat/events?${q('1700000001', 'n2')}&echostr=hello`);
      expect(check.text).toBe('hello');
    } finally {
      await own.close();
    }
  });
});

describe('the survey in the mini-program', () => {
  it('asks the citizen once staff pass 核查, and 满意 closes the case', async () => {
    const { scheduleSurveys } = await import('../../server/surveys/schedule.js');
    const rep = await t.http().post('/api/citizen/reports').set(auth()).send({
      idempotencyKey: key(),
      text: '湖畔花园门口的路灯坏了好几天了，晚上很黑',
      location: places.huPan,
      categoryCode: '100118',
    });
    expect(rep.status).toBe(201);
    const sup = await t.login('supervisor');
    const dept = await t.login('szss');
    const step = async (token: string, body: object) => {
      const d = await t.http().get(`/api/cases/${rep.body.caseId}`).set('Authorization', `Bearer ${token}`);
      const r = await t
        .http()
        .post(`/api/cases/${rep.body.caseId}/transitions`)
        .set('Authorization', `Bearer ${token}`)
        .send({ ...body, version: d.body.case.version });
      expect(r.status).toBe(200);
    };
    await step(sup, { action: 'dispatch' });
    await step(dept, { action: 'accept' });
    await step(dept, { action: 'resolve', note: '已更换灯泡，恢复照明' });
    const early = await t
      .http()
      .post(`/api/citizen/reports/${rep.body.caseNo}/survey`)
      .set(auth())
      .send({ result: '满意' });
    expect(early.status).toBe(409);
    await step(sup, { action: 'check_pass' });
    await scheduleSurveys(t.services, rep.body.caseId);

    const list = await t.http().get('/api/citizen/reports').set(auth());
    expect(list.body.items.find((i: any) => i.caseNo === rep.body.caseNo).surveyPending).toBe(true);
    const detail = await t.http().get(`/api/citizen/reports/${rep.body.caseNo}`).set(auth());
    expect(detail.body.survey.pending).toBe(true);
    expect(detail.body.reply).toBe('已更换灯泡，恢复照明');
    const bad = await t
      .http()
      .post(`/api/citizen/reports/${rep.body.caseNo}/survey`)
      .set(auth())
      .send({ result: '还行吧' });
    expect(bad.status).toBe(400);
    const ok = await t
      .http()
      .post(`/api/citizen/reports/${rep.body.caseNo}/survey`)
      .set(auth())
      .send({ result: '满意', comment: '修得很快，谢谢' });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('结案');
    const after = await t.http().get(`/api/citizen/reports/${rep.body.caseNo}`).set(auth());
    expect(after.body.survey).toEqual({ pending: false, result: '满意' });
    expect(after.body.timeline.at(-1).label).toBe('已结案');
  });

  it('records subscribe-message consent for known templates only', async () => {
    const res = await t
      .http()
      .post('/api/citizen/subscriptions')
      .set(auth())
      .send({ templateIds: ['tpl-a', 'unknown'], accepted: ['unknown'] });
    expect(res.status).toBe(204);
    const bad = await t.http().post('/api/citizen/subscriptions').set(auth()).send({ accepted: 'x' });
    expect(bad.status).toBe(400);
  });
});
