import Router from '@koa/router';
import { refreshScreenPop } from '../../telephony/screenPops.js';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { intakeReport } from '../../cases/intake.js';
import { nearbyOpenCases } from '../../cases/duplicates.js';
import { lookups, presentCaseSummary } from '../../presenters/case.js';
import { nearbyQuery, staffReportBody } from './schema.js';

export function reportRoutes(services: Services) {
  const router = new Router({ prefix: '/api/reports' });
  router.use(requireStaff);

  router.post('/', validate({ body: staffReportBody }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'report.create');
    const b = ctx.input.body;
    const result = await intakeReport(services, {
      channel: b.channel,
      // Each channel keys its own retries: a staff key never meets a citizen's or a partner's.
      idempotencyKey: `staff:${b.idempotencyKey}`,
      text: b.text,
      citizen: b.phone ? { phone: b.phone, name: b.name } : undefined,
      staffId: actor.id,
      location: b.location,
      address: b.address,
      categoryCode: b.categoryCode,
      photos: b.photos,
      callId: b.callId,
      urgency: b.urgency,
      reporterName: b.name || null,
      consultation: b.consultation,
    });
    // The agent's pop shows the new case among the caller's history and this call's cases.
    if (b.callId)
      await refreshScreenPop(services, b.callId).catch((err) =>
        services.log.warn({ err, callId: b.callId }, 'screen-pop not refreshed'),
      );
    ctx.status = result.created ? 201 : 200;
    ctx.body = {
      report: { id: result.report.id, disposition: result.report.disposition },
      case: presentCaseSummary(result.case, await lookups(services)),
    };
  });

  router.get('/nearby', validate({ query: nearbyQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'report.create');
    const q = ctx.input.query;
    const l = await lookups(services);
    const category = l.categories.get(q.categoryCode);
    const rows = await nearbyOpenCases(services, {
      categoryCode: q.categoryCode,
      lat: q.lat,
      lng: q.lng,
      radiusM: category?.duplicateRadiusM ?? services.config.DUPLICATE_RADIUS_M,
      windowHours: services.config.DUPLICATE_WINDOW_HOURS,
    });
    ctx.body = { items: rows.map((r) => ({ ...presentCaseSummary(r, l), distanceM: Math.round(r.distanceM) })) };
  });

  return router;
}
