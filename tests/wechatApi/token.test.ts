import { describe, expect, it } from 'vitest';
import { WechatError } from '../../server/wechatApi/errors.js';
import { rejection, useFakeWechat } from './build.js';

const check = (openid = 'o_citizen') => ({ openid, content: '人行道上有井盖缺失', scene: 2 as const });

describe('access token', () => {
  const h = useFakeWechat();

  it('is fetched once and reused across calls', async () => {
    for (let i = 0; i < 5; i++) expect((await h.api.msgSecCheck(check())).pass).toBe(true);
    expect(h.fake.tokenRequests).toBe(1);
    const tokenCall = h.fake.requests.find((r) => r.path === '/cgi-bin/stable_token')!;
    expect(tokenCall.method).toBe('POST');
    expect(tokenCall.body).toEqual({
      grant_type: 'client_credential',
      appid: h.fake.appid,
      secret: h.fake.secret,
      force_refresh: false,
    });
  });

  it('is fetched once for concurrent first callers', async () => {
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => h.api.msgSecCheck(check())));
    expect(verdicts.every((v) => v.pass)).toBe(true);
    expect(h.fake.tokenRequests).toBe(1);
  });

  it('is refreshed shortly before it expires, not after', async () => {
    await h.api.msgSecCheck(check());
    h.clock.now += (7200 - 301) * 1000;
    await h.api.msgSecCheck(check());
    expect(h.fake.tokenRequests).toBe(1);
    h.clock.now += 2_000;
    await h.api.msgSecCheck(check());
    expect(h.fake.tokenRequests).toBe(2);
  });

  it('is refreshed once and the call retried when WeChat revokes it (40001)', async () => {
    await h.api.msgSecCheck(check());
    const first = h.fake.issuedTokens();
    h.fake.expireTokens();
    const verdicts = await Promise.all(Array.from({ length: 6 }, () => h.api.msgSecCheck(check())));
    expect(verdicts.every((v) => v.pass)).toBe(true);
    expect(h.fake.tokenRequests).toBe(2);
    expect(h.fake.issuedTokens()).toHaveLength(first.length + 1);
  });

  it('is refreshed when WeChat says it expired (42001) before our clock does', async () => {
    const early = useClockSkew(h);
    await early.msgSecCheck(check());
    h.clock.now += 7201 * 1000;
    expect((await early.msgSecCheck(check())).pass).toBe(true);
    expect(h.fake.tokenRequests).toBe(2);
    const checks = h.fake.requests.filter((r) => r.path === '/wxa/msg_sec_check');
    expect(checks).toHaveLength(3);
  });

  it('forces a new stable token when the normal refresh hands back the one just refused', async () => {
    await h.api.msgSecCheck(check());
    h.fake.failNext('/wxa/msg_sec_check', { body: { errcode: 40001, errmsg: 'invalid credential rid: 1-2-3' } });
    expect((await h.api.msgSecCheck(check())).pass).toBe(true);
    expect(h.fake.tokenRequests).toBe(3);
    expect(h.fake.forcedTokenRequests).toBe(1);
  });

  it('gives up with token_invalid when the fresh token is refused too', async () => {
    await h.api.msgSecCheck(check());
    h.fake.expireTokens();
    h.fake.failNext('/wxa/msg_sec_check', { body: { errcode: 40001, errmsg: 'invalid credential' } });
    h.fake.failNext('/wxa/msg_sec_check', { body: { errcode: 42001, errmsg: 'access_token expired' } });
    const err = await rejection(h.api.msgSecCheck(check()));
    expect(err).toBeInstanceOf(WechatError);
    expect(err).toMatchObject({ code: 'token_invalid', errcode: 42001, retryable: true });
    expect(h.fake.tokenRequests).toBe(2);
  });

  it('works the same on the classic GET /cgi-bin/token endpoint', async () => {
    const classic = h.client({ tokenEndpoint: 'classic' });
    await classic.msgSecCheck(check());
    await classic.msgSecCheck(check());
    expect(h.fake.tokenRequests).toBe(1);
    h.fake.expireTokens();
    expect((await classic.msgSecCheck(check())).pass).toBe(true);
    expect(h.fake.tokenRequests).toBe(2);
    const tokenCall = h.fake.requests.find((r) => r.path === '/cgi-bin/token')!;
    expect(tokenCall.query).toMatchObject({ grant_type: 'client_credential', appid: h.fake.appid });
  });

  it('reports a wrong secret as a non-retryable wechat_error, and fetches again on the next call', async () => {
    const wrong = h.client({ secret: 'not-the-secret' });
    const err = await rejection(wrong.msgSecCheck(check()));
    expect(err).toMatchObject({ code: 'wechat_error', errcode: 40125, retryable: false });
    await rejection(wrong.msgSecCheck(check()));
    expect(h.fake.tokenRequests).toBe(2);
  });
});

/** A client whose clock stands still, so only WeChat knows the token has expired. */
function useClockSkew(h: ReturnType<typeof useFakeWechat>) {
  const frozen = h.clock.now;
  return h.client({ now: () => frozen });
}
