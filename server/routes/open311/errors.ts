import type { Context, Next } from 'koa';
import { AppError, fieldsOf, matchedRoute } from '../../errors.js';
import { formatOfPath, respond } from './format.js';

export const OPEN311_PREFIX = '/open311/v2';

const messages: Record<number, string> = {
  400: '请求格式错误',
  404: '接口不存在',
  405: '该接口不支持此请求方法',
  413: '请求体过大',
  415: '不支持的请求体类型',
};

/**
 * Every answer under /open311/ that is not a success, whoever raised it (a route, the body parser's
 * size limit, the router's 404 and 405), leaves in GeoReport's error shape: [{code, description}],
 * or <errors><error>… when the path ends in .xml. Mounted before the body parser for that reason.
 */
export function open311Errors() {
  return async (ctx: Context, next: Next) => {
    if (ctx.path !== '/open311' && !ctx.path.startsWith('/open311/')) return next();
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) throw new AppError(404, 'not_found', messages[404]);
    } catch (err: unknown) {
      const thrown = fieldsOf(err);
      const raw = Number(thrown.status ?? thrown.statusCode);
      const status = err instanceof AppError ? err.status : raw >= 400 && raw < 500 ? raw : 500;
      const description =
        err instanceof AppError
          ? err.message
          : status === 500
            ? '服务器内部错误，请稍后再试'
            : (messages[status] ?? '请求错误');
      // The error's code and the route only: a failed query's message carries its parameters.
      if (status === 500)
        ctx.log?.error(
          { route: matchedRoute(ctx) ?? ctx.path, code: thrown.code ?? fieldsOf(thrown.cause).code },
          'open311 error',
        );
      const allow = (fieldsOf(err) as { headers?: { Allow?: unknown } }).headers?.Allow;
      if (allow) ctx.set('Allow', String(allow));
      const retryAfter = (fieldsOf(thrown.details) as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (status === 429 && retryAfter) ctx.set('Retry-After', String(retryAfter));
      ctx.status = status;
      respond(ctx, formatOfPath(ctx.path), 'errors', 'error', [{ code: status, description }]);
    }
  };
}
