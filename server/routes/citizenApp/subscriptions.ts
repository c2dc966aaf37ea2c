import Router from '@koa/router';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { recordGrants, templateKindOf } from '../../notifications/grants.js';
import type { CitizenSession } from './session.js';
import { subscriptionsBody } from './schema.js';

/** The template ids the citizen accepted in wx.requestSubscribeMessage: one message each. */
export function citizenSubscriptionRoutes(services: Services, { requireCitizen }: CitizenSession) {
  const router = new Router();

  router.post('/citizen/subscriptions', requireCitizen, validate({ body: subscriptionsBody }), async (ctx) => {
    const kinds = ctx.input.body.accepted
      .map((id) => templateKindOf(services.config, id))
      .filter((k): k is NonNullable<typeof k> => !!k);
    await recordGrants(services, ctx.state.citizenId!, kinds);
    ctx.status = 204;
  });

  return router;
}
