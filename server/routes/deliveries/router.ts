import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { deadDeliveries } from '../../forwarding/queries.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { AppError } from '../../errors.js';
import { retryDelivery } from '../../forwarding/deliver.js';

export function deliveryRoutes(services: Services) {
  const router = new Router({ prefix: '/api/deliveries' });
  router.use(requireStaff);

  router.get('/dead', async (ctx) => {
    authorize(actorOf(ctx), 'delivery.retry');
    const rows = await deadDeliveries(services);
    ctx.body = {
      items: rows.map((r) => ({
        id: r.d.id,
        caseId: r.d.caseId,
        caseNo: r.caseNo,
        department: r.department,
        event: r.d.event,
        attempts: r.d.attempts,
        lastError: r.d.lastError,
        createdAt: r.d.createdAt.toISOString(),
      })),
    };
  });

  router.post('/:id/retry', validate({ params: z.object({ id: z.string().uuid() }) }), async (ctx) => {
    authorize(actorOf(ctx), 'delivery.retry');
    if (!(await retryDelivery(services, ctx.input.params.id)))
      throw new AppError(409, 'not_dead', '只有失败的推送可以重试');
    ctx.status = 202;
    ctx.body = { status: 'pending' };
  });

  return router;
}
