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
const BASE = Symbol('base logger');
const CHILD = Symbol('request logger');

type Contexts = { [BASE]?: Logger; [CHILD]?: Logger; requestId: string };

/**
 * `ctx.log`, the request's child logger (with its redaction), made on first use: above LOG_LEVEL=info most
 * requests never log. The accessor is defined once on the app's context prototype, not on each request's
 * context: a property defined on an object after it is made turns it into a slow dictionary, and Koa
 * reads the context on every step (that cost a cached status read about 20 µs of CPU).
 */
function installLog(proto: object, log: Logger): void {
  if (Object.prototype.hasOwnProperty.call(proto, BASE)) return;
  Object.defineProperty(proto, BASE, { value: log });
  Object.defineProperty(proto, 'log', {
    configurable: true,
    get(this: Contexts) {
      return (this[CHILD] ??= this[BASE]!.child({ reqId: this.requestId }));
    },
  });
}

export function requestContext(log: Logger) {
  return async (ctx: Context, next: Next) => {
    installLog(Object.getPrototypeOf(ctx) as object, log);
    const incoming = ctx.get('x-request-id');
    ctx.requestId = validId.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.requestId);
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
