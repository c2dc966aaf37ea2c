import { createHash } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Services } from '../context.js';
import { tooManyRequests } from '../errors.js';
import { SharedLimiter } from '../limits/counters.js';

const isPublicRead = (ctx: Context) =>
  (ctx.method === 'GET' || ctx.method === 'HEAD') &&
  (ctx.path.startsWith('/api/public/') || ctx.path.startsWith('/open311/v2/requests'));

/**
 * Anonymous reads of cases (the mini-program's lookup, Open311 GET requests) are limited per
 * address; a partner with a valid Open311 api_key is counted by its key, with ten times the room.
 */
export function publicReadLimit(services: Services) {
  const { config, limits } = services;
  const partners = new SharedLimiter(services.database.db, 'partner-read', config.PUBLIC_READ_RATE_PER_MINUTE * 10, 60);
  return async (ctx: Context, next: Next) => {
    if (isPublicRead(ctx)) {
      const key = typeof ctx.query.api_key === 'string' ? ctx.query.api_key : '';
      const wait =
        key && config.openApiKeys.includes(key)
          ? await partners.take(createHash('sha256').update(key).digest('hex').slice(0, 32))
          : await limits.publicRead.take(ctx.ip);
      if (wait > 0) throw tooManyRequests('查询过于频繁，请稍后再试', wait);
    }
    await next();
  };
}
