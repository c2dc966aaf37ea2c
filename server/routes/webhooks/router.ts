import Router from '@koa/router';
import type { Services } from '../../context.js';
import { departmentByCode } from '../../departments/queries.js';
import { applyDepartmentEvent } from '../../forwarding/inbound.js';
import { AppError, notFound } from '../../errors.js';
import { parseOrThrow } from '../../middleware/validate.js';
import { verify, SIGNATURE_HEADER } from '../../forwarding/signature.js';
import { statusBody } from './schema.js';

/**
 * Status coming back from a department's own system. The signature is checked
 * over the raw bytes, a stale timestamp is refused, and an event id is accepted
 * once: a replayed request cannot move the case again.
 */
export function webhookRoutes(services: Services) {
  const router = new Router({ prefix: '/api/webhooks' });

  router.post('/departments/:code', async (ctx) => {
    const dept = await departmentByCode(services, ctx.params.code);
    if (!dept || dept.delivery !== 'webhook' || !dept.webhookSecret) throw notFound('部门接口');
    const raw = ctx.request.rawBody ?? JSON.stringify(ctx.request.body ?? {});
    const check = verify(
      dept.webhookSecret,
      raw,
      ctx.get(SIGNATURE_HEADER) || undefined,
      services.config.WEBHOOK_TOLERANCE_SECONDS,
    );
    if (!check.ok) throw new AppError(401, 'bad_signature', `签名校验失败（${check.reason}）`);
    const body = parseOrThrow(statusBody, ctx.request.body);

    const updated = await applyDepartmentEvent(services, dept, body);
    ctx.body = { caseNo: updated.caseNo, state: updated.state, version: updated.version };
  });

  return router;
}
