import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { rejection, useFakeWechat } from './build.js';

describe('code2Session', () => {
  const h = useFakeWechat();

  it('exchanges a login code for the openid, unionid and session key', async () => {
    h.fake.registerCode('code-1', { openid: 'o_wang', unionid: 'u_wang' });
    const session = await h.api.code2Session('code-1');
    expect(session).toMatchObject({ openid: 'o_wang', unionid: 'u_wang' });
    expect(session.sessionKey).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    const call = h.fake.requests.find((r) => r.path === '/sns/jscode2session')!;
    expect(call.method).toBe('GET');
    expect(call.query).toEqual({
      appid: h.fake.appid,
      secret: h.fake.secret,
      js_code: 'code-1',
      grant_type: 'authorization_code',
    });
    expect(h.fake.tokenRequests).toBe(0);
  });

  it('leaves unionid out when the app is not bound to an open-platform account', async () => {
    h.fake.registerCode('code-2', { openid: 'o_li' });
    const session = await h.api.code2Session('code-2');
    expect(session.openid).toBe('o_li');
    expect('unionid' in session).toBe(false);
  });

  it('keeps the session key out of JSON, console output and the log', async () => {
    h.fake.registerCode('code-3', { openid: 'o_zhao' });
    const session = await h.api.code2Session('code-3');
    expect(JSON.stringify(session)).not.toContain(session.sessionKey);
    expect(JSON.stringify({ session })).toContain('o_zhao');
    expect(inspect(session)).not.toContain(session.sessionKey);
    expect(h.logLines.join('')).not.toContain(session.sessionKey);
  });

  it('answers invalid_code, not retryable, for an unknown code (40029) and a used one (40163)', async () => {
    const unknown = await rejection(h.api.code2Session('never-issued'));
    expect(unknown).toMatchObject({ name: 'WechatError', code: 'invalid_code', errcode: 40029, retryable: false });
    h.fake.registerCode('code-4', { openid: 'o_sun' });
    await h.api.code2Session('code-4');
    const reused = await rejection(h.api.code2Session('code-4'));
    expect(reused).toMatchObject({ code: 'invalid_code', errcode: 40163, retryable: false });
  });

  it('answers rate_limited, retryable, at the frequency limit (45011)', async () => {
    h.fake.registerCode('code-5', { openid: 'o_zhou' });
    h.fake.setRateLimited('jscode2session');
    const err = await rejection(h.api.code2Session('code-5'));
    expect(err).toMatchObject({ code: 'rate_limited', errcode: 45011, retryable: true });
    h.fake.setRateLimited('jscode2session', false);
    expect((await h.api.code2Session('code-5')).openid).toBe('o_zhou');
  });

  it('answers unavailable, retryable, when WeChat is busy (-1)', async () => {
    h.fake.failNext('/sns/jscode2session', { body: { errcode: -1, errmsg: 'system error rid: 1-2-3' } });
    const err = await rejection(h.api.code2Session('whatever'));
    expect(err).toMatchObject({ code: 'unavailable', errcode: -1, retryable: true });
  });
});

describe('getPhoneNumber', () => {
  const h = useFakeWechat();

  it('exchanges the button code for the number', async () => {
    h.fake.registerPhoneCode('phone-code', '13800138000');
    expect(await h.api.getPhoneNumber('phone-code')).toEqual({
      phoneNumber: '13800138000',
      purePhoneNumber: '13800138000',
      countryCode: '86',
    });
    const call = h.fake.requests.find((r) => r.path === '/wxa/business/getuserphonenumber')!;
    expect(call.body).toEqual({ code: 'phone-code' });
    expect(call.query.access_token).toBeTruthy();
    expect(h.logLines.join('')).not.toContain('13800138000');
  });

  it('answers invalid_code for a code used already', async () => {
    h.fake.registerPhoneCode('phone-code', '13800138000');
    await h.api.getPhoneNumber('phone-code');
    expect(await rejection(h.api.getPhoneNumber('phone-code'))).toMatchObject({ code: 'invalid_code', errcode: 40029 });
  });
});
