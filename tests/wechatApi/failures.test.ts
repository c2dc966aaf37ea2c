import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WechatApi } from '../../server/wechatApi/client.js';
import { WechatError } from '../../server/wechatApi/errors.js';
import { rejection, useFakeWechat } from './build.js';

const check = { openid: 'o_wang', content: '路灯不亮', scene: 2 as const };

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('when WeChat cannot be reached', () => {
  const h = useFakeWechat();

  it('answers unavailable, retryable, when nothing listens', async () => {
    const api = new WechatApi({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      appid: 'wx1',
      secret: 's3cr3t-value',
    });
    for (const call of [api.code2Session('code'), api.msgSecCheck(check)]) {
      const err = await rejection(call);
      expect(err).toBeInstanceOf(WechatError);
      expect(err).toMatchObject({ code: 'unavailable', retryable: true });
      expect(err.message).toMatch(/network error/);
    }
  });

  it('gives up on a call that never answers after its timeout', async () => {
    const api = h.client({ timeoutMs: 150 });
    await api.msgSecCheck(check);
    h.fake.hang('/cgi-bin/message/subscribe/send');
    const started = Date.now();
    const err = await rejection(
      api.sendSubscribeMessage({ touser: 'o_wang', templateId: 'tpl', data: { thing1: '路灯' } }),
    );
    expect(err).toMatchObject({ code: 'unavailable', retryable: true });
    expect(err.message).toContain('no answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('gives up when the token endpoint never answers, and every waiting caller hears it', async () => {
    const api = h.client({ timeoutMs: 150 });
    h.fake.hang('/cgi-bin/stable_token');
    const errors = await Promise.all([rejection(api.msgSecCheck(check)), rejection(api.msgSecCheck(check))]);
    for (const err of errors) expect(err).toMatchObject({ code: 'unavailable', retryable: true });
    expect(h.fake.tokenRequests).toBe(0);
    expect(h.fake.requests.filter((r) => r.path === '/cgi-bin/stable_token')).toHaveLength(1);
  });

  it('answers unavailable for a server error page or a reply that is not JSON', async () => {
    h.fake.failNext('/sns/jscode2session', { status: 502 });
    expect(await rejection(h.api.code2Session('c'))).toMatchObject({ code: 'unavailable', retryable: true });
    h.fake.failNext('/sns/jscode2session', { status: 200, body: undefined });
    expect(await rejection(h.api.code2Session('c'))).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('answers wechat_error for an errcode it has no name for, keeping the number', async () => {
    h.fake.failNext('/wxa/msg_sec_check', { body: { errcode: 99999, errmsg: 'some new refusal rid: 1-2-3' } });
    const err = await rejection(h.api.msgSecCheck(check));
    expect(err).toMatchObject({ code: 'wechat_error', errcode: 99999, retryable: false });
    expect(err.message).toContain('rid: 1-2-3');
  });
});

describe('secrets never leave the adapter', () => {
  const h = useFakeWechat();

  it('keeps the secret, tokens and session keys out of every error message and log line', async () => {
    const errors: WechatError[] = [];
    const collect = async (p: Promise<unknown>) => errors.push(await rejection(p));

    h.fake.registerCode('good', { openid: 'o_wang' });
    const session = await h.api.code2Session('good');
    await collect(h.api.code2Session('good'));
    await collect(h.api.code2Session('unknown'));
    h.fake.setRateLimited('jscode2session');
    await collect(h.api.code2Session('unknown'));

    await h.api.msgSecCheck(check);
    const [token] = h.fake.issuedTokens();
    // WeChat does not echo credentials, but if its errmsg ever did, it would not get through.
    h.fake.failNext('/wxa/msg_sec_check', {
      body: { errcode: 40003, errmsg: `invalid openid ${token} secret=${h.fake.secret} access_token=${token}` },
    });
    await collect(h.api.msgSecCheck(check));
    h.fake.failNext('/sns/jscode2session', { body: { errcode: 40125, errmsg: `invalid appsecret ${h.fake.secret}` } });
    await collect(h.api.code2Session('x'));

    h.fake.expireTokens();
    h.fake.failNext('/wxa/msg_sec_check', { body: { errcode: 40001, errmsg: 'invalid credential' } });
    h.fake.failNext('/wxa/msg_sec_check', { body: { errcode: 40001, errmsg: 'invalid credential' } });
    await collect(h.api.msgSecCheck(check));
    h.fake.refuseSubscription('o_li');
    await collect(h.api.sendSubscribeMessage({ touser: 'o_li', templateId: 'tpl', data: { thing1: '路灯' } }));
    await collect(h.client({ secret: `${h.fake.secret}x` }).msgSecCheck(check));
    h.fake.hang('/wxa/media_check_async');
    await collect(
      h.client({ timeoutMs: 100 }).mediaCheckAsync({ openid: 'o', mediaUrl: 'https://x/y', mediaType: 'image' }),
    );
    const down = new WechatApi({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      appid: 'wx1',
      secret: h.fake.secret,
    });
    await collect(down.code2Session('good'));

    expect(errors).toHaveLength(10);
    const secrets = [h.fake.secret, session.sessionKey, ...h.fake.issuedTokens()];
    const seen = [...errors.flatMap((e) => [e.message, String(e.stack), JSON.stringify(e)]), ...h.logLines].join('\n');
    expect(h.logLines.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(seen).not.toContain(secret);
    expect(seen).toContain('[redacted]');
  });

  it('does not show the secret when the client itself is logged or printed', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(h.api, { depth: 5 })).not.toContain(h.fake.secret);
    expect(JSON.stringify(h.api)).not.toContain(h.fake.secret);
  });
});
