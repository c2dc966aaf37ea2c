import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Services } from '../../context.js';
import { notFound } from '../../errors.js';
import { validate } from '../../middleware/validate.js';
import { publicCaseAnswer } from '../../cases/publicLookup.js';
import { recentlyClosedCases } from '../../citizens/queries.js';
import { placeLookups } from '../../presenters/case.js';
import { publicPlace } from '../../presenters/citizenCase.js';
import { CASE_NO } from '../../cases/caseNumber.js';
import { caseNoParams, nearbyQuery } from './schema.js';

/** The status read's route, as the router names it in metrics and logs. */
export const PUBLIC_CASE_ROUTE = '/api/public/cases/:caseNo';

async function answerPublicCase(services: Services, ctx: Context, caseNo: string): Promise<void> {
  const answer = await publicCaseAnswer(services, caseNo);
  if (answer === null) throw notFound('案件');
  ctx.type = 'application/json';
  ctx.body = answer;
}

const publicCasePath = new RegExp(`^/api/public/cases/(${CASE_NO.source.replace(/^\^|\$$/g, '')})$`);

/**
 * The status read, the busiest anonymous request, answered ahead of the middleware it has no use for
 * (body parsing and checks, CSRF, the session, the walk through every area's router). It takes only
 * the plain form, `GET|HEAD /api/public/cases/<number>` with no query and no body, behind the same
 * address, request id, metrics, security headers and error handling as every request and through the
 * same limit (`limit`, the app's publicReadLimit); anything else goes the ordinary way to the router.
 */
export function publicCaseFastPath(services: Services, limit: Middleware): Middleware {
  return async (ctx, next) => {
    const m =
      (ctx.method === 'GET' || ctx.method === 'HEAD') && !ctx.querystring ? publicCasePath.exec(ctx.path) : null;
    if (!m || ctx.request.length || ctx.get('transfer-encoding')) return next();
    // What @koa/router sets on a match, read by metrics and error logs.
    (ctx as Context & { _matchedRoute?: string })._matchedRoute = PUBLIC_CASE_ROUTE;
    await limit(ctx, () => answerPublicCase(services, ctx, m[1]!));
  };
}

/** What anyone may look up without signing in: a case by its number, and closed cases nearby. */
export function citizenPublicRoutes(services: Services) {
  const router = new Router();

  // The plain form of this read is answered by publicCaseFastPath before it reaches the routers.
  router.get('/public/cases/:caseNo', validate({ params: caseNoParams }), (ctx) =>
    answerPublicCase(services, ctx, ctx.input.params.caseNo),
  );

  router.get('/public/cases', validate({ query: nearbyQuery }), async (ctx) => {
    const q = ctx.input.query;
    const rows = await recentlyClosedCases(services);
    const l = await placeLookups(services);
    const near =
      q.lat != null && q.lng != null
        ? rows.filter((c) => c.lat != null && Math.abs(c.lat - q.lat!) < 0.05 && Math.abs(c.lng! - q.lng!) < 0.05)
        : rows;
    ctx.body = {
      items: near.slice(0, 20).map((c) => ({
        caseNo: c.caseNo,
        category: c.categoryCode ? { code: c.categoryCode, name: l.categories.name(c.categoryCode) } : null,
        state: c.state,
        address: publicPlace(c, l),
        closedAt: c.closedAt?.toISOString() ?? null,
      })),
    };
  });

  return router;
}
