import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Services } from '../../context.js';
import { notFound } from '../../errors.js';
import { parseOrThrow, validate } from '../../middleware/validate.js';
import { handleSmsReply, type SmsReply } from '../../sms/replies.js';
import { aliyunReplies, replyParams, tencentReply } from './schema.js';

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Citizens' replies to our SMS, pushed by the provider. Neither provider signs these pushes, so
 * the URL given to the provider carries a secret (SMS_CALLBACK_TOKEN); a wrong one, or a
 * provider we do not use, is a 404.
 */
export function smsRoutes(services: Services) {
  const router = new Router({ prefix: '/api/sms' });
  const { SMS_PROVIDER, SMS_CALLBACK_TOKEN } = services.config;

  router.post('/replies/:provider/:token', validate({ params: replyParams }), async (ctx) => {
    const { provider, token } = ctx.input.params;
    if (!SMS_CALLBACK_TOKEN || provider !== SMS_PROVIDER || !sameToken(token, SMS_CALLBACK_TOKEN))
      throw notFound('接口');
    const body = (ctx.request as { body?: unknown }).body;
    const replies: SmsReply[] =
      provider === 'aliyun'
        ? parseOrThrow(aliyunReplies, body).map((r) => ({
            provider,
            phone: r.phone_number,
            text: r.content,
            dedupeKey: `aliyun:${r.sequence_id}`,
          }))
        : [parseOrThrow(tencentReply, body)].map((r) => ({
            provider,
            phone: r.mobile,
            text: r.text,
            // Tencent's reply carries no id: the same number, second and words is the same reply.
            dedupeKey: `tencent:${createHash('sha256').update(`${r.mobile}|${r.time}|${r.text}`).digest('hex')}`,
          }));
    const effects = [];
    for (const reply of replies) effects.push(await handleSmsReply(services, reply));
    services.log.info({ provider, effects }, 'sms replies');
    // Each provider's documented acknowledgement; anything else makes it push again.
    ctx.body = provider === 'aliyun' ? { code: 0, msg: '成功' } : { result: 0, errmsg: 'OK' };
  });

  return router;
}
