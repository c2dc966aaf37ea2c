import type { Context, Next } from 'koa';
import { AppError, fieldsOf, matchedRoute } from '../errors.js';

const codeForStatus: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * What a 500 leaves in the log: the error's type, its SQLSTATE or system code and the route, with
 * the stack's frames but not its message. A database error's message carries the failed query
 * and its parameters, which may be a citizen's words or phone number.
 */
export function failureOf(thrown: unknown, ctx: Context) {
  const err = fieldsOf(thrown);
  const cause = fieldsOf(err.cause);
  const code = cause.code ?? err.code;
  const fromDatabase = err.name === 'DrizzleQueryError' || 'query' in err || /^[0-9A-Z]{5}$/.test(String(code));
  return {
    type: cause.name ?? err.name ?? typeof thrown,
    code: typeof code === 'string' ? code : undefined,
    // A programming error's message helps and holds no input; a database error's never goes out.
    message: fromDatabase ? undefined : String(err.message ?? '').slice(0, 200),
    method: ctx.method,
    route: matchedRoute(ctx) ?? ctx.path.slice(0, 200),
    frames:
      typeof err.stack === 'string'
        ? err.stack
            .split('\n')
            .filter((l: string) => /^\s+at /.test(l))
            .slice(0, 8)
        : [],
  };
}

/** Every failure leaves as {error:{code,message}}; only our own 4xx messages are shown. */
export function errorHandler() {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'not_found', message: '接口不存在' } };
      }
    } catch (thrown: unknown) {
      if (thrown instanceof AppError) {
        const err = thrown;
        ctx.status = err.status;
        ctx.body = {
          error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
        };
        const retryAfter = fieldsOf(err.details) as { retryAfterSeconds?: unknown };
        if (err.status === 429 && retryAfter.retryAfterSeconds) {
          ctx.set('Retry-After', String(retryAfter.retryAfterSeconds));
        }
        return;
      }
      const err = fieldsOf(thrown);
      const status = Number(err.status ?? err.statusCode);
      if (status >= 400 && status < 500 && err.expose !== false) {
        ctx.status = status;
        const message =
          status === 413 ? '请求体过大' : status === 400 ? '请求格式错误' : String(err.message ?? '请求错误');
        ctx.body = { error: { code: codeForStatus[status] ?? 'bad_request', message } };
        return;
      }
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: '服务器内部错误，请稍后再试' } };
      ctx.log?.error({ failure: failureOf(thrown, ctx) }, 'unhandled error');
    }
  };
}
