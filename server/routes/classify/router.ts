import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { tooManyRequests } from '../../errors.js';

const body = z.object({ text: z.string().max(10_000, 'text: 最多 10000 字') });

/** Live category suggestion while someone types; open to citizens, so limited per address. */
export function classifyRoutes(services: Services) {
  const router = new Router({ prefix: '/api' });
  router.post('/classify', validate({ body }), async (ctx) => {
    const wait = await services.limits.classify.take(ctx.ip);
    if (wait > 0) throw tooManyRequests('分类建议请求过于频繁，请稍后再试', wait);
    const result = services.classifier.classify(ctx.input.body.text);
    ctx.body = result;
  });
  return router;
}
