import { existsSync } from 'node:fs';
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
import { AppError, fieldsOf, malformedBody, payloadTooLarge } from './errors.js';
import { healthRoutes } from './routes/health.js';
import { authRoutes } from './routes/auth/router.js';
import { serveSpa } from './routes/static.js';
import { open311Errors } from './routes/open311/errors.js';
import { clientAddress } from './middleware/clientAddress.js';
import { guardInput } from './middleware/validate.js';
import { bodyTypes, csrfGuard, securityHeaders } from './middleware/security.js';
import { publicReadLimit } from './middleware/publicReads.js';
import { mapSettings } from './geo/tiles.js';
import { statementCount } from './middleware/statementCount.js';
import { publicCaseFastPath } from './routes/citizenApp/public.js';

/** The checkout (or image) root, the folder with package.json: server/ under tsx, dist/server/ when compiled. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}
const root = projectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Route groups added by later parts (cases, open311, miniprogram …) register here. */
export type RouteFactory = (services: Services) => Router | Router[];

export function createApp(services: Services, extraRoutes: RouteFactory[] = []): Koa {
  const { config } = services;
  // X-Forwarded-* are believed only from configured proxies (TRUST_PROXY); see clientAddress.
  const app = new Koa({ proxy: config.trustProxy.kind !== 'off' });
  const metrics = createMetrics(
    services.jobs ? () => services.jobs!.depth() : undefined,
    () => services.leadership.isLeader,
    () => (services.pbx ? { state: services.pbx.state, problems: services.pbx.problems() } : null),
  );
  app.use(clientAddress(config.trustProxy));
  app.use(requestContext(services.log));
  if (config.DB_STATEMENT_COUNT) app.use(statementCount());
  app.use(metrics.middleware);
  app.use(securityHeaders({ hsts: config.COOKIE_SECURE, tileTemplates: mapSettings(config).layers.map((l) => l.url) }));
  app.use(errorHandler());
  const readLimit = publicReadLimit(services);
  app.use(publicCaseFastPath(services, readLimit));
  // Before the body parser: its 413 on an Open311 path is answered in GeoReport's shape too.
  app.use(open311Errors());
  app.use(bodyTypes());
  app.use(
    bodyParser({
      enableTypes: ['json', 'form', 'text', 'xml'],
      extendTypes: { text: ['text/plain'], xml: ['text/xml', 'application/xml'] },
      jsonLimit: services.config.BODY_LIMIT,
      formLimit: services.config.BODY_LIMIT,
      textLimit: services.config.BODY_LIMIT,
      xmlLimit: services.config.BODY_LIMIT,
      onError(err: unknown) {
        const thrown = fieldsOf(err);
        if (thrown.status === 413 || thrown.type === 'entity.too.large') throw payloadTooLarge();
        if (err instanceof AppError) throw err;
        throw malformedBody();
      },
    }),
  );
  app.use(guardInput());
  app.use(csrfGuard({ publicBaseUrl: config.PUBLIC_BASE_URL }));
  app.use(readLimit);
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
