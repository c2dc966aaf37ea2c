import Router from '@koa/router';
import type { Context } from 'koa';
import type { Services } from '../../context.js';
import { AppError, notFound, serviceUnavailable } from '../../errors.js';
import { customerServiceAccount } from '../../chatbot/accounts.js';
import type { CustomerServiceChannel } from '../../chatbot/contacts.js';
import { inboundFromPush } from '../../chatbot/push.js';
import { chatEngineOf } from '../../chatbot/registry.js';
import { recordMediaVerdict } from '../../citizens/contentCheck.js';
import { parseMediaCheckEvent } from '../../wechatApi/events.js';
import { openPush, verifyUrl } from '../../wechatApi/pushMessage.js';

const PATHS: Record<CustomerServiceChannel, string> = {
  oa: '/wechat/official-account',
  mp: '/wechat/mini-program',
};

/** The raw body as WeChat sent it: the signature covers the Encrypt field as it came. */
function rawBody(ctx: Context): string {
  const request = ctx.request as unknown as { rawBody?: string; body?: unknown };
  if (typeof request.rawBody === 'string') return request.rawBody;
  if (typeof request.body === 'string') return request.body;
  return request.body ? JSON.stringify(request.body) : '';
}

/**
 * The server URLs (服务器地址) of the official account and of the mini-program's
 * message push. GET is WeChat's URL check; POST a message or event, signed and
 * in safe mode encrypted. A push is stored (once per MsgId, whichever instance
 * gets it) and acknowledged with `success` at once; the conversation answers
 * through the customer-service API after the response.
 */
export function customerServiceRoutes(services: Services) {
  const router = new Router();
  for (const channel of ['oa', 'mp'] as const) {
    const account = customerServiceAccount(services.config, channel);
    if (!account) continue;

    router.get(PATHS[channel], (ctx) => {
      const echostr = verifyUrl(account.endpoint, ctx.query);
      if (echostr === null) throw new AppError(401, 'bad_signature', '签名校验失败');
      ctx.type = 'text/plain';
      ctx.body = echostr;
    });

    router.post(PATHS[channel], async (ctx) => {
      const opened = openPush(account.endpoint, ctx.query, rawBody(ctx));
      if (!opened.ok) {
        if (opened.reason === 'bad_signature') throw new AppError(401, 'bad_signature', '签名校验失败');
        if (opened.reason === 'not_configured') throw notFound('接口');
        throw new AppError(400, 'invalid_request', '无法解析的消息');
      }
      const verdict = channel === 'mp' ? parseMediaCheckEvent(opened.raw) : null;
      if (verdict) await recordMediaVerdict(services, verdict);
      else {
        const inbound = inboundFromPush(channel, opened.fields);
        if (inbound) {
          const engine = chatEngineOf(services);
          // WeChat retries an unanswered push: the next instance (or this one, restarted) takes it.
          if (!engine) throw serviceUnavailable('微信消息服务未运行');
          await engine.accept(inbound);
        }
      }
      // Acknowledged at once; the replies go out as customer-service messages. "success" needs no encryption.
      ctx.type = 'text/plain';
      ctx.body = 'success';
    });
  }
  return router;
}
