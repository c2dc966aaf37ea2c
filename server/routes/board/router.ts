import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import send from 'koa-send';
import { z } from 'zod';
import type { Context, Next } from 'koa';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { tooManyRequests } from '../../errors.js';
import { RateLimiter } from '../../lib/rateLimit.js';
import { placeLookups } from '../../presenters/case.js';
import { boardCases, streetMonth } from '../../board/queries.js';
import { boardCase, streetFigures } from '../../presenters/board.js';
import { monthRange } from '../../board/month.js';

const adminDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../admin/dist');
const figuresQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month: 格式应为 YYYY-MM')
    .optional(),
});
const CACHE_MS = 60_000;

/**
 * The public board: handled and open problems, anonymised, and each street's monthly figures.
 * Open to anyone, so answers are cached for a minute and each address is limited.
 */
export function boardRoutes(services: Services) {
  const router = new Router();
  const limiter = new RateLimiter(services.config.PUBLIC_BOARD_RATE_PER_MINUTE, 60_000);
  const cache = new Map<string, { at: number; body: unknown }>();
  const cached = async (key: string, load: () => Promise<unknown>) => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.body;
    const body = await load();
    if (cache.size > 200) cache.clear();
    cache.set(key, { at: Date.now(), body });
    return body;
  };
  const limited = async (ctx: Context, next: Next) => {
    if (!limiter.take(ctx.ip)) throw tooManyRequests('访问过于频繁，请稍后再试', 60);
    ctx.set('Cache-Control', 'public, max-age=60');
    await next();
  };

  router.get('/api/public/board', limited, async (ctx) => {
    ctx.body = await cached('cases', async () => {
      const [rows, l] = await Promise.all([boardCases(services, 500), placeLookups(services)]);
      const items = rows.map((r) => boardCase(r, l));
      const streets = [...new Map(items.filter((i) => i.streetId).map((i) => [i.streetId, i.street])).entries()];
      return { items, streets: streets.map(([id, name]) => ({ id, name })) };
    });
  });

  router.get('/api/public/board/figures', limited, validate({ query: figuresQuery }), async (ctx) => {
    const { month } = ctx.input.query;
    const range = monthRange(month);
    ctx.body = await cached(`figures:${range.month}`, async () => {
      const [rows, l] = await Promise.all([
        streetMonth(services, range.from, range.to, range.asOf),
        placeLookups(services),
      ]);
      return {
        month: range.month,
        streets: rows.map((r) => streetFigures(r, l)).sort((a, b) => a.street.localeCompare(b.street, 'zh')),
      };
    });
  });

  // The page itself is a second entry of the console's build (admin/board.html), sharing its map.
  router.get(['/public', '/public/'], async (ctx) => {
    if (!services.config.SERVE_UI || !existsSync(path.join(adminDist, 'board.html'))) {
      ctx.status = 503;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = '<!doctype html><meta charset="utf-8"><p>公开栏尚未构建，请运行 npm start 或 npm run build。</p>';
      return;
    }
    ctx.set('Cache-Control', 'no-cache');
    await send(ctx, 'board.html', { root: adminDist });
  });
  return router;
}
