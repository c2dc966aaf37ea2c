import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import type { Services } from './context.js';
import { errorHandler } from './middleware/errors.js';
import { requestContext } from './middleware/requestContext.js';
import { createMetrics } from './middleware/metrics.js';
import { loadActor } from './middleware/authenticate.js';
import { AppError, malformedBody, payloadTooLarge } from './errors.js';
import { healthRoutes } from './routes/health.js';
import { authRoutes } from './routes/auth/router.js';
import { serveSpa } from './routes/static.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Route groups added by later parts (cases, open311, miniprogram …) register here. */
export type RouteFactory = (services: Services) => Router | Router[];

export function createApp(services: Services, extraRoutes: RouteFactory[] = []): Koa {
  const app = new Koa({ proxy: true });
  const metrics = createMetrics(services.jobs ? () => services.jobs!.depth() : undefined, () =>
    services.pbx ? { state: services.pbx.state, problems: services.pbx.problems() } : null,
  );
  app.use(requestContext(services.log));
  app.use(metrics.middleware);
  app.use(errorHandler());
  app.use(
    bodyParser({
      enableTypes: ['json', 'form', 'text', 'xml'],
      extendTypes: { text: ['text/plain'], xml: ['text/xml', 'application/xml'] },
      jsonLimit: services.config.BODY_LIMIT,
      formLimit: services.config.BODY_LIMIT,
      textLimit: services.config.BODY_LIMIT,
      xmlLimit: services.config.BODY_LIMIT,
      onError(err: any) {
        if (err?.status === 413 || err?.type === 'entity.too.large') throw payloadTooLarge();
        if (err instanceof AppError) throw err;
        throw malformedBody();
      },
    }),
  );
  if (services.config.SERVE_UI) {
    app.use(serveSpa('/admin', path.join(root, 'admin/dist'), '管理后台'));
    app.use(serveSpa('/m', path.join(root, 'miniprogram/dist/h5'), '小程序 H5 版'));
  }
  app.use(loadActor(services.sessions));
  const routers = [
    healthRoutes(services, metrics.registry),
    authRoutes(services),
    ...extraRoutes.flatMap((f) => f(services)),
  ];
  for (const r of routers) {
    app.use(r.routes());
    app.use(r.allowedMethods({ throw: true }));
  }
  app.on('error', () => {
    // Already answered and logged by errorHandler; Koa's default would print to stderr.
  });
  return app;
}
