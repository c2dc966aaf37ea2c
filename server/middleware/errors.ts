import type { Context, Next } from 'koa';
import { AppError } from '../errors.js';

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

/** Every failure leaves as {error:{code,message}}; only our own 4xx messages are shown. */
export function errorHandler() {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'not_found', message: '接口不存在' } };
      }
    } catch (err: any) {
      if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.body = {
          error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
        };
        if (err.status === 429 && (err.details as any)?.retryAfterSeconds) {
          ctx.set('Retry-After', String((err.details as any).retryAfterSeconds));
        }
        return;
      }
      const status = Number(err?.status ?? err?.statusCode);
      if (status >= 400 && status < 500 && err?.expose !== false) {
        ctx.status = status;
        const message =
          status === 413 ? '请求体过大' : status === 400 ? '请求格式错误' : String(err.message ?? '请求错误');
        ctx.body = { error: { code: codeForStatus[status] ?? 'bad_request', message } };
        return;
      }
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: '服务器内部错误，请稍后再试' } };
      ctx.log?.error({ err }, 'unhandled error');
    }
  };
}
