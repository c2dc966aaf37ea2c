import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { AppError, serviceUnavailable } from '../../errors.js';
import { failedJobs, jobState } from '../../jobs/failed.js';

const retryParams = z.object({ queue: z.string().regex(/^[a-z-]{2,64}$/), id: z.string().uuid() });

/**
 * Jobs that exhausted their retries (a notification, a survey step, a sweep):
 * listed for supervisors with the error, and retried by hand once the cause is fixed.
 */
export function jobRoutes(services: Services) {
  const router = new Router({ prefix: '/api/jobs' });
  router.use(requireStaff);

  router.get('/failed', async (ctx) => {
    authorize(actorOf(ctx), 'delivery.retry');
    if (!services.jobs) throw serviceUnavailable('任务队列未启用');
    const rows = await failedJobs(services);
    ctx.body = {
      items: rows.map((r) => {
        const output = r.output as { message?: unknown } | null;
        return {
          id: r.id,
          queue: r.name,
          data: r.data,
          error: typeof output?.message === 'string' ? output.message : null,
          attempts: Number(r.retry_count) + 1,
          failedAt: r.completed_on ? new Date(r.completed_on as string | Date).toISOString() : null,
        };
      }),
    };
  });

  router.post('/:queue/:id/retry', validate({ params: retryParams }), async (ctx) => {
    authorize(actorOf(ctx), 'delivery.retry');
    if (!services.jobs) throw serviceUnavailable('任务队列未启用');
    const { queue, id } = ctx.input.params;
    if ((await jobState(services, queue, id)) !== 'failed')
      throw new AppError(409, 'not_failed', '只有失败的任务可以重试');
    await services.jobs.boss.retry(queue, id);
    await services.jobs.announce(queue);
    ctx.status = 202;
    ctx.body = { status: 'retry' };
  });

  return router;
}
