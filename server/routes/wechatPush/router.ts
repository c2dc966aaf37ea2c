import Router from '@koa/router';
import type { Services } from '../../context.js';
import { recordMediaVerdict } from '../../citizens/contentCheck.js';
import { AppError } from '../../errors.js';
import { parseMediaCheckEvent, verifyPushSignature } from '../../wechatApi/events.js';

/**
 * WeChat's message push (消息推送) for the mini-program: the URL check (GET
 * echostr) and the asynchronous image verdicts. A refused photo is hidden
 * wherever it shows; the report itself stays, for staff to see.
 */
export function wechatPushRoutes(services: Services) {
  const router = new Router({ prefix: '/api/wechat/events' });
  const token = services.config.WECHAT_PUSH_TOKEN;

  const signed = (q: Record<string, unknown>) =>
    !!token &&
    verifyPushSignature({
      token,
      timestamp: String(q.timestamp ?? ''),
      nonce: String(q.nonce ?? ''),
      signature: String(q.signature ?? ''),
    });

  router.get('/', (ctx) => {
    if (!signed(ctx.query)) throw new AppError(401, 'bad_signature', '签名校验失败');
    ctx.type = 'text/plain';
    ctx.body = String(ctx.query.echostr ?? '');
  });

  router.post('/', async (ctx) => {
    if (!signed(ctx.query)) throw new AppError(401, 'bad_signature', '签名校验失败');
    const body = ctx.request.body;
    const verdict = parseMediaCheckEvent(typeof body === 'string' ? body : (ctx.request.rawBody ?? body));
    if (verdict) await recordMediaVerdict(services, verdict);
    // WeChat retries anything but "success".
    ctx.type = 'text/plain';
    ctx.body = 'success';
  });

  return router;
}
