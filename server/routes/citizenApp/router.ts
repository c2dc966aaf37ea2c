import Router from '@koa/router';
import type { Services } from '../../context.js';
import { citizenSession } from './session.js';
import { citizenAuthRoutes } from './auth.js';
import { citizenUploadRoutes } from './uploads.js';
import { citizenReportRoutes } from './reports.js';
import { citizenSurveyRoutes } from './surveys.js';
import { citizenSubscriptionRoutes } from './subscriptions.js';
import { citizenPublicRoutes } from './public.js';

/** The citizen's own API (the mini-program and h5), one file per concern. */
export function citizenApiRoutes(services: Services) {
  const router = new Router({ prefix: '/api' });
  const session = citizenSession(services);
  for (const sub of [
    citizenAuthRoutes(services, session),
    citizenUploadRoutes(services, session),
    citizenReportRoutes(services, session),
    citizenSurveyRoutes(services, session),
    citizenSubscriptionRoutes(services, session),
    citizenPublicRoutes(services),
  ]) {
    router.use(sub.routes(), sub.allowedMethods());
  }
  return router;
}
