import Router from '@koa/router';
import { eq } from 'drizzle-orm';
import type { Services } from '../../context.js';
import { cases, departments, inboundWebhooks } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { parseOrThrow } from '../../middleware/validate.js';
import { verify, SIGNATURE_HEADER } from '../../forwarding/signature.js';
import { applyTransition } from '../../cases/transitions.js';
import type { CaseAction } from '../../cases/lifecycle.js';
import { statusBody } from './schema.js';

/**
 * Status coming back from a department's own system. The signature is checked
 * over the raw bytes, a stale timestamp is refused, and an event id is accepted
 * once: a replayed request cannot move the case again.
 */
export function webhookRoutes(services: Services) {
  const router = new Router({ prefix: '/api/webhooks' });
  const db = services.database.db;

  router.post('/departments/:code', async (ctx) => {
    const [dept] = await db.select().from(departments).where(eq(departments.code, ctx.params.code));
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

    const updated = await db.transaction(async (tx) => {
      const [seen] = await tx
        .insert(inboundWebhooks)
        .values({ eventId: body.eventId, departmentId: dept.id })
        .onConflictDoNothing()
        .returning();
      if (!seen) throw new AppError(409, 'replayed', '该事件已处理过（重放被拒绝）');
      const [kase] = await tx.select().from(cases).where(eq(cases.caseNo, body.caseNo));
      if (!kase) throw notFound('案件');
      return applyTransition(services, tx, kase, {
        action: body.action as CaseAction,
        actor: { kind: 'external', id: dept.code, departmentId: dept.id },
        note: body.note ?? null,
        hours: body.hours,
        data: { eventId: body.eventId },
      });
    });
    ctx.body = { caseNo: updated.caseNo, state: updated.state, version: updated.version };
  });

  return router;
}
