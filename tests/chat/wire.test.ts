import { describe, expect, it } from 'vitest';
import { fromStored } from '../../server/geo/datum.js';
import { aesKeyFrom, decryptPush, encryptPush, pushSignature } from '../../server/wechatApi/pushCrypto.js';
import { openPush, parsePushBody } from '../../server/wechatApi/pushMessage.js';
import { windowAfter, windowOpen } from '../../server/chatbot/replyWindow.js';
import { inboundFromPush } from '../../server/chatbot/push.js';
import { loadConfig } from '../../server/config.js';
import { testEnv } from '../helpers/context.js';
import { newAesKey, signedPush, toXml, wechatDecrypt, wechatEncrypt } from '../fakes/wechat/push.js';

describe('safe mode (消息加解密)', () => {
  const aes = newAesKey();
  const key = aesKeyFrom(aes)!;

  it('opens what WeChat encrypts and encrypts what WeChat opens, with 32-byte padding', () => {
    const xml = '<xml><Content><![CDATA[井盖坏了]]></Content></xml>';
    expect(decryptPush(key, 'wxapp', wechatEncrypt(aes, 'wxapp', xml))).toBe(xml);
    const ours = encryptPush(key, 'wxapp', xml);
    expect(Buffer.from(ours, 'base64').length % 32).toBe(0);
    expect(wechatDecrypt(aes, ours)).toEqual({ message: xml, appid: 'wxapp' });
  });

  it('refuses another app’s message, a short key and garbage', () => {
    expect(() => decryptPush(key, 'wxapp', wechatEncrypt(aes, 'wxother', 'x'))).toThrow(/another appid/);
    expect(aesKeyFrom('short')).toBeNull();
    expect(() => decryptPush(key, 'wxapp', Buffer.from('not a block').toString('base64'))).toThrow();
  });

  it('checks signature and msg_signature over exactly what came', () => {
    const account = { username: 'gh_1', appid: 'wxapp', token: 'tok123', aesKey: aes };
    const fields = {
      ToUserName: 'gh_1',
      FromUserName: 'o1',
      CreateTime: 1700000000,
      MsgType: 'text',
      Content: '你好',
      MsgId: 1,
    };
    const push = signedPush(account, fields);
    const opened = openPush({ token: 'tok123', aesKey: aes, appid: 'wxapp' }, push.query, push.body);
    expect(opened).toMatchObject({ ok: true, encrypted: true, fields: { Content: '你好', MsgId: '1' } });
    const tampered = push.body.replace(
      /<Encrypt><!\[CDATA\[(.)/,
      (_m, c) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`,
    );
    expect(tampered).not.toBe(push.body);
    expect(openPush({ token: 'tok123', aesKey: aes, appid: 'wxapp' }, push.query, tampered)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(pushSignature('b', 'a', 'c')).toBe(pushSignature('a', 'b', 'c'));
  });

  it('reads XML with CDATA and JSON alike', () => {
    const fields = { ToUserName: 'gh_1', FromUserName: 'o1', CreateTime: 1, MsgType: 'text', Content: 'a<b>&c' };
    expect(parsePushBody(toXml(fields))!.fields).toMatchObject({ Content: 'a<b>&c', CreateTime: '1' });
    expect(parsePushBody(JSON.stringify(fields))!.fields).toMatchObject({ Content: 'a<b>&c', CreateTime: '1' });
    expect(parsePushBody('garbage')).toBeNull();
  });
});

describe('pushed messages in the conversation’s terms', () => {
  const base = { ToUserName: 'gh_1', FromUserName: 'oUser', CreateTime: '1700000000' };

  it('converts a location from GCJ-02 and keys events by sender and time', () => {
    const gcj = fromStored({ lat: 30.235, lng: 120.115 }, 'gcj02');
    const loc = inboundFromPush('oa', {
      ...base,
      MsgType: 'location',
      Location_X: String(gcj.lat),
      Location_Y: String(gcj.lng),
      Label: '望江路88号',
      MsgId: '42',
    })!;
    expect(loc).toMatchObject({
      contactId: 'oa:oUser',
      messageId: 'oa:42',
      content: { kind: 'location', name: '望江路88号' },
    });
    const c = loc.content as { lat: number; lng: number };
    // Within about a metre, the accuracy server/geo/datum.ts is tested to.
    expect(c.lat).toBeCloseTo(30.235, 5);
    expect(c.lng).toBeCloseTo(120.115, 5);
    expect(inboundFromPush('oa', { ...base, MsgType: 'event', Event: 'subscribe' })).toMatchObject({
      messageId: 'oa:oUser:1700000000:subscribe',
      content: { kind: 'followed' },
      opens: { action: 'subscribe' },
    });
    expect(inboundFromPush('oa', { ...base, MsgType: 'event', Event: 'unsubscribe' })).toBeNull();
    // A mini-program contact is the mini-program user: the openid goes with it.
    expect(inboundFromPush('mp', { ...base, MsgType: 'text', Content: '你好', MsgId: '7' })).toMatchObject({
      contactId: 'mp:oUser',
      openid: 'oUser',
    });
  });
});

describe('the customer-service window', () => {
  const at = new Date('2026-12-01T08:00:00Z');
  const hours = (h: number) => new Date(at.getTime() + h * 3_600_000);

  it('gives 5 messages for 48 hours after a message, 3 for a minute after a follow', () => {
    const w = windowAfter('message', at, null);
    expect(w).toEqual({ until: hours(48), replies: 5 });
    expect(windowOpen(w, hours(47.9))).toBe(true);
    expect(windowOpen(w, hours(48))).toBe(false);
    expect(windowOpen({ ...w, replies: 0 }, hours(1))).toBe(false);
    expect(windowAfter('subscribe', at, null)).toEqual({ until: new Date(at.getTime() + 60_000), replies: 3 });
    // An event does not shorten what a message opened.
    expect(windowAfter('subscribe', hours(1), w)).toBe(w);
  });
});

describe('settings', () => {
  it('needs the official account’s token, app id and secret together, and checks their form', () => {
    const load = (extra: Record<string, string>) => () => loadConfig(testEnv(extra));
    expect(load({ WECHAT_OA_TOKEN: 'abc123' })).toThrow(/missing setting WECHAT_OA_APPID/);
    expect(load({ WECHAT_OA_TOKEN: 'a-b', WECHAT_OA_APPID: 'wx1', WECHAT_OA_SECRET: 's' })).toThrow(
      /invalid setting WECHAT_OA_TOKEN/,
    );
    expect(
      load({ WECHAT_OA_TOKEN: 'abc', WECHAT_OA_APPID: 'wx1', WECHAT_OA_SECRET: 's', WECHAT_OA_AES_KEY: 'x' }),
    ).toThrow(/invalid setting WECHAT_OA_AES_KEY/);
    expect(load({ WECHAT_PUSH_AES_KEY: newAesKey() })).toThrow(/missing setting WECHAT_PUSH_TOKEN/);
    const ok = load({
      WECHAT_OA_TOKEN: 'abc',
      WECHAT_OA_APPID: 'wx1',
      WECHAT_OA_SECRET: 's',
      WECHAT_OA_AES_KEY: newAesKey(),
    })();
    expect(ok.WECHAT_OA_APPID).toBe('wx1');
  });
});
