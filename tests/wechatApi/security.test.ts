import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMediaCheckEvent, verifyPushSignature } from '../../server/wechatApi/events.js';
import { REVIEW_WORD, RISKY_WORD } from '../fakes/wechat/server.js';
import { rejection, useFakeWechat } from './build.js';

describe('msgSecCheck', () => {
  const h = useFakeWechat();

  it('passes ordinary text and sends the documented v2 request', async () => {
    const verdict = await h.api.msgSecCheck({ openid: 'o_wang', content: '小区门口垃圾桶满了没人清理', scene: 2 });
    expect(verdict).toMatchObject({ pass: true, suggest: 'pass', label: 100 });
    expect(verdict.traceId).toBeTruthy();
    const call = h.fake.requests.find((r) => r.path === '/wxa/msg_sec_check')!;
    expect(call.body).toEqual({ content: '小区门口垃圾桶满了没人清理', version: 2, scene: 2, openid: 'o_wang' });
  });

  it('does not pass risky text (label 20006, 违法犯罪)', async () => {
    const verdict = await h.api.msgSecCheck({ openid: 'o_wang', content: `这里有人卖${RISKY_WORD}`, scene: 2 });
    expect(verdict).toMatchObject({ pass: false, suggest: 'risky', label: 20006 });
  });

  it('passes text under review but flags it', async () => {
    const verdict = await h.api.msgSecCheck({ openid: 'o_wang', content: `路边${REVIEW_WORD}`, scene: 2 });
    expect(verdict).toMatchObject({ pass: true, suggest: 'review' });
  });

  it('checks text past 2,500 characters piece by piece and keeps the worst verdict', async () => {
    const content = `${'噪音扰民'.repeat(700)}${RISKY_WORD}${'占道经营'.repeat(100)}`;
    const verdict = await h.api.msgSecCheck({ openid: 'o_wang', content, scene: 2 });
    expect(verdict.suggest).toBe('risky');
    const pieces = h.fake.requests.filter((r) => r.path === '/wxa/msg_sec_check').map((r) => r.body.content as string);
    expect(pieces.length).toBe(2);
    expect(pieces.every((p) => p.length <= 2500)).toBe(true);
  });

  it('answers blank text without asking WeChat', async () => {
    expect(await h.api.msgSecCheck({ openid: 'o_wang', content: '  \n ', scene: 2 })).toEqual({
      pass: true,
      suggest: 'pass',
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('maps the v1 risky errcode 87014 to content_risky', async () => {
    h.fake.failNext('/wxa/msg_sec_check', { body: { errcode: 87014, errmsg: 'risky content rid: 1-2-3' } });
    const err = await rejection(h.api.msgSecCheck({ openid: 'o_wang', content: '测试', scene: 2 }));
    expect(err).toMatchObject({ code: 'content_risky', errcode: 87014, retryable: false });
  });
});

describe('mediaCheckAsync and the wxa_media_check push', () => {
  const h = useFakeWechat();

  it('submits a photo and reads the verdict WeChat pushes later', async () => {
    const { traceId } = await h.api.mediaCheckAsync({
      openid: 'o_wang',
      mediaUrl: 'https://cg.example.cn/files/abc',
      mediaType: 'image',
    });
    expect(h.fake.mediaChecks).toEqual([
      { traceId, openid: 'o_wang', mediaUrl: 'https://cg.example.cn/files/abc', mediaType: 2, scene: 2 },
    ]);
    expect(parseMediaCheckEvent(h.fake.mediaCheckEvent(traceId, { suggest: 'pass' }))).toEqual({
      traceId,
      pass: true,
      suggest: 'pass',
      label: 100,
    });
    expect(
      parseMediaCheckEvent(JSON.stringify(h.fake.mediaCheckEvent(traceId, { suggest: 'risky', label: 20002 }))),
    ).toEqual({
      traceId,
      pass: false,
      suggest: 'risky',
      label: 20002,
    });
  });

  it('reads the XML form of the push', () => {
    const body = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_wang]]></FromUserName>
      <CreateTime>1626959646</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[wxa_media_check]]></Event>
      <appid><![CDATA[wx1]]></appid><trace_id><![CDATA[60f96f1d-3845297a-1976a3ae]]></trace_id><version>2</version>
      <detail><strategy><![CDATA[content_model]]></strategy><errcode>0</errcode><suggest><![CDATA[review]]></suggest><label>20012</label></detail>
      <errcode>0</errcode><errmsg><![CDATA[ok]]></errmsg><result><suggest><![CDATA[review]]></suggest><label>20012</label></result></xml>`;
    expect(parseMediaCheckEvent(body)).toEqual({
      traceId: '60f96f1d-3845297a-1976a3ae',
      pass: true,
      suggest: 'review',
      label: 20012,
    });
  });

  it('does not pass media WeChat could not check, and ignores other events', () => {
    const failed = {
      MsgType: 'event',
      Event: 'wxa_media_check',
      trace_id: '68f351b2-75a4d3f0-04bd00ca',
      version: 2,
      detail: [],
      errcode: 43104,
      errmsg: 'this appid does not have permission',
    };
    expect(parseMediaCheckEvent(failed)).toEqual({
      traceId: '68f351b2-75a4d3f0-04bd00ca',
      pass: false,
      suggest: 'review',
      errcode: 43104,
    });
    expect(parseMediaCheckEvent({ MsgType: 'event', Event: 'subscribe_msg_popup_event' })).toBeNull();
    expect(parseMediaCheckEvent('not a push')).toBeNull();
    expect(() => parseMediaCheckEvent({ Event: 'wxa_media_check' })).toThrow(/trace_id/);
  });

  it('verifies the push signature', () => {
    const sign = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');
    const input = { token: 'push-token', timestamp: '1700000000', nonce: '42' };
    expect(verifyPushSignature({ ...input, signature: sign('push-token', '1700000000', '42') })).toBe(true);
    expect(verifyPushSignature({ ...input, signature: sign('other', '1700000000', '42') })).toBe(false);
    expect(verifyPushSignature({ ...input, signature: '' })).toBe(false);
  });
});
