import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import type { Context, Next } from 'koa';
import { tooManyRequests } from '../../errors.js';
import { RateLimiter } from '../../lib/rateLimit.js';
import { mapSettings } from '../../geo/tiles.js';
import { describePoint, gazetteerFor, searchPlaces } from '../../geo/places.js';
import { casesForMap } from '../../geo/caseLayer.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize, caseListScope } from '../../auth/policy.js';

const searchQuery = z.object({
  q: z.string().trim().min(1, '请输入地址').max(100, 'q: 最多 100 字'),
  limit: z.coerce.number().int().min(1).max(10).default(5),
});
const pointQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
});

/**
 * Address search and the map's settings: open (the mini-program and the public board use them),
 * limited per address. Addresses in, stored-datum (WGS-84) points out.
 */
export function geoRoutes(services: Services) {
  const router = new Router({ prefix: '/api/geo' });
  const limiter = new RateLimiter(services.config.CLASSIFY_RATE_PER_MINUTE, 60_000);
  const limited = async (ctx: Context, next: Next) => {
    if (!limiter.take(ctx.ip)) throw tooManyRequests('地址查询过于频繁，请稍后再试', 60);
    await next();
  };

  router.get('/settings', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = mapSettings(services.config);
  });

  // Road centre lines for the map, so a city without tiles still sees its streets when zoomed in.
  router.get('/roads', async (ctx) => {
    const gazetteer = await gazetteerFor(services);
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = {
      type: 'FeatureCollection',
      features: gazetteer.entries
        .filter((e) => e.kind === 'road' && e.geometry)
        .map((e) => ({ type: 'Feature', geometry: e.geometry, properties: { name: e.name } })),
    };
  });

  router.get('/search', limited, validate({ query: searchQuery }), async (ctx) => {
    const { q, limit } = ctx.input.query;
    ctx.body = { items: await searchPlaces(services, q, limit) };
  });

  router.get('/reverse', limited, validate({ query: pointQuery }), async (ctx) => {
    const { lat, lng } = ctx.input.query;
    ctx.body = await describePoint(services, lat, lng);
  });
  return router;
}

/** The console map's case layer: staff only, it names cases. */
export function geoStaffRoutes(services: Services) {
  const router = new Router({ prefix: '/api/geo' });
  router.use(requireStaff);
  router.get('/cases', async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    // A department sees its own cases on the map, as in its case list.
    const departmentId = caseListScope(actor) ?? null;
    ctx.body = { items: await casesForMap(services, { departmentId }) };
  });
  return router;
}
