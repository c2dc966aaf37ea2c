import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

declare module 'koa' {
  interface BaseContext {
    log: Logger;
    requestId: string;
  }
}

const validId = /^[A-Za-z0-9._-]{1,64}$/;

export function requestContext(log: Logger) {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get('x-request-id');
    ctx.requestId = validId.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.requestId);
    // The child logger (with its redaction) is made on first use: above LOG_LEVEL=info most requests never log.
    let child: Logger | undefined;
    Object.defineProperty(ctx, 'log', {
      configurable: true,
      get: () => (child ??= log.child({ reqId: ctx.requestId })),
    });
    const started = performance.now();
    try {
      await next();
    } finally {
      if (log.isLevelEnabled('info'))
        ctx.log.info(
          { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) },
          'request',
        );
    }
  };
}
