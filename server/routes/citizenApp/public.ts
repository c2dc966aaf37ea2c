import Router from '@koa/router';
import type { Services } from '../../context.js';
import { notFound } from '../../errors.js';
import { validate } from '../../middleware/validate.js';
import { publicCaseAnswer } from '../../cases/publicLookup.js';
import { recentlyClosedCases } from '../../citizens/queries.js';
import { placeLookups } from '../../presenters/case.js';
import { publicPlace } from '../../presenters/citizenCase.js';
import { caseNoParams, nearbyQuery } from './schema.js';

/** What anyone may look up without signing in: a case by its number, and closed cases nearby. */
export function citizenPublicRoutes(services: Services) {
  const router = new Router();

  router.get('/public/cases/:caseNo', validate({ params: caseNoParams }), async (ctx) => {
    const answer = await publicCaseAnswer(services, ctx.input.params.caseNo);
    if (answer === null) throw notFound('案件');
    ctx.type = 'application/json';
    ctx.body = answer;
  });

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
