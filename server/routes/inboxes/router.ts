import Router from '@koa/router';
import type { Services } from '../../context.js';
import { openEventStream } from '../../lib/eventStream.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { allowedActions, authorize, factsOf, type Actor } from '../../auth/policy.js';
import { notFound } from '../../errors.js';
import { inboxCases, inboxCounts, inboxes, inboxesFor } from '../../cases/inboxes.js';
import { caseChangesOf } from '../../cases/changes.js';
import type { CaseState } from '../../cases/lifecycle.js';
import { citizenTextFor, lookups, presentCaseSummary } from '../../presenters/case.js';
import { inboxParams } from './schema.js';

/** Each role's work lists (待派遣, 待签收, 待核查 …), and their counts pushed as cases change. */
export function inboxRoutes(services: Services) {
  const router = new Router({ prefix: '/api/inboxes' });
  const changes = caseChangesOf(services);
  router.use(requireStaff);

  router.get('/', async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    ctx.body = { items: await inboxCounts(services, actor) };
  });

  /**
   * Server-Sent Events: `inbox-counts` on connect and again whenever a case change alters the
   * viewer's counts, on whichever instance it happened.
   */
  router.get('/stream', async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    const events = openEventStream(ctx);
    let last = '';
    let counting: Promise<void> | null = null;
    let again = false;
    const push = async (viewer: Actor) => {
      const counts = JSON.stringify({ items: await inboxCounts(services, viewer) });
      if (!events.closed() && counts !== last) {
        last = counts;
        events.stream.write(`event: inbox-counts\ndata: ${counts}\n\n`);
      }
    };
    // A burst of changes costs one count at a time, and the last change is always counted.
    const recount = () => {
      if (counting) {
        again = true;
        return;
      }
      counting = push(actor)
        .catch((err) => ctx.log.warn({ err }, 'inbox count failed'))
        .finally(() => {
          counting = null;
          if (again && !events.closed()) {
            again = false;
            recount();
          }
        });
    };
    await events.follow(() => changes.subscribe(recount));
    recount();
  });

  router.get('/:name', validate({ params: inboxParams }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    const { name } = ctx.input.params;
    if (!inboxesFor(actor.role).includes(name)) throw notFound('待办列表');
    const rows = await inboxCases(services, actor, name);
    const l = await lookups(services);
    const shown = citizenTextFor(actor);
    ctx.body = {
      name,
      label: inboxes[name].label,
      items: rows.map((c) => ({
        ...presentCaseSummary(c, l, shown),
        allowedActions: allowedActions(c.state as CaseState, actor.role, factsOf(c)),
      })),
    };
  });

  return router;
}
