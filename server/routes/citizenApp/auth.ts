import Router from '@koa/router';
import { randomBytes } from 'node:crypto';
import type { Services } from '../../context.js';
import { AppError, notFound, tooManyRequests } from '../../errors.js';
import { validate } from '../../middleware/validate.js';
import { signInCitizen } from '../../citizens/resolve.js';
import { WechatError } from '../../wechatApi/errors.js';
import type { CitizenSession } from './session.js';
import { devLoginBody, loginBody } from './schema.js';

/** Signing in: WeChat's wx.login code, or any openid when DEV_LOGIN is on. */
export function citizenAuthRoutes(services: Services, { tokens }: CitizenSession) {
  const router = new Router();

  router.post('/citizen/login', validate({ body: loginBody }), async (ctx) => {
    const wait = await services.limits.citizenLogin.take(ctx.ip);
    if (wait > 0) throw tooManyRequests('登录过于频繁，请稍后再试', wait);
    if (!services.wechat) throw new AppError(503, 'wechat_unavailable', '微信登录未配置');
    let session;
    try {
      session = await services.wechat.code2Session(ctx.input.body.code);
    } catch (err) {
      if (err instanceof WechatError) {
        if (err.code === 'invalid_code')
          throw new AppError(400, 'invalid_code', '登录凭证无效或已过期，请重新进入小程序');
        if (err.code === 'rate_limited') throw tooManyRequests('登录过于频繁，请稍后再试');
        throw new AppError(503, 'wechat_unavailable', '微信服务暂时不可用，请稍后再试');
      }
      throw err;
    }
    const citizen = await signInCitizen(services, { openid: session.openid, unionid: session.unionid });
    const { token, expiresAt } = tokens.issue(citizen.id);
    ctx.body = { token, expiresAt: expiresAt.toISOString() };
  });

  router.post('/citizen/dev-login', validate({ body: devLoginBody }), async (ctx) => {
    if (!services.config.devLogin) throw notFound('接口');
    const openid = ctx.input.body.openid ?? `dev-${randomBytes(8).toString('hex')}`;
    const citizen = await signInCitizen(services, { openid });
    const { token, expiresAt } = tokens.issue(citizen.id);
    ctx.body = { token, expiresAt: expiresAt.toISOString(), openid };
  });

  return router;
}
