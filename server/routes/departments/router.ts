import { randomBytes, randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { Services } from '../../context.js';
import { createDepartment, findDepartment, updateDepartment } from '../../departments/queries.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { AppError, notFound } from '../../errors.js';
import { postSigned } from '../../forwarding/deliver.js';
import { presentDepartment } from '../../presenters/department.js';
import { createDepartmentBody, departmentParams, updateDepartmentBody } from './schema.js';

const newSecret = () => randomBytes(32).toString('hex');

/**
 * Departments (admin only): internal ones work in the console, webhook ones get each case change
 * pushed, signed with a secret that is shown once, when it is made, and never again.
 */
export function departmentRoutes(services: Services) {
  const router = new Router({ prefix: '/api/departments' });
  router.use(requireStaff);

  async function load(id: number) {
    const row = await findDepartment(services, id);
    if (!row) throw notFound('部门');
    return row;
  }

  router.post('/', validate({ body: createDepartmentBody }), async (ctx) => {
    authorize(actorOf(ctx), 'department.manage');
    const b = ctx.input.body;
    const secret = b.delivery === 'webhook' ? newSecret() : null;
    const row = await createDepartment(services, {
      code: b.code,
      name: b.name,
      delivery: b.delivery,
      webhookUrl: b.webhookUrl ?? null,
      webhookSecret: secret,
      agency: b.agency ?? null,
    });
    if (!row) throw new AppError(409, 'code_taken', `部门代码 ${b.code} 已存在`);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { department: presentDepartment(row), ...(secret ? { webhookSecret: secret } : {}) };
  });

  router.put('/:id', validate({ params: departmentParams, body: updateDepartmentBody }), async (ctx) => {
    authorize(actorOf(ctx), 'department.manage');
    const b = ctx.input.body;
    const current = await load(ctx.input.params.id);
    const next = { ...current, ...b };
    if (next.delivery === 'webhook' && !next.webhookUrl) {
      throw new AppError(400, 'invalid_request', 'webhookUrl: 对接方式为推送时须填写推送地址');
    }
    // The first switch to webhook makes the secret; it is shown in this answer only.
    const secret = next.delivery === 'webhook' && !current.webhookSecret ? newSecret() : null;
    const row = await updateDepartment(services, current.id, { ...b, ...(secret ? { webhookSecret: secret } : {}) });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { department: presentDepartment(row), ...(secret ? { webhookSecret: secret } : {}) };
  });

  /** A new secret, shown once; the old one stops working at once. */
  router.post('/:id/secret', validate({ params: departmentParams }), async (ctx) => {
    authorize(actorOf(ctx), 'department.manage');
    const current = await load(ctx.input.params.id);
    if (current.delivery !== 'webhook') throw new AppError(409, 'not_webhook', '只有推送对接的部门有推送密钥');
    const secret = newSecret();
    const row = await updateDepartment(services, current.id, { webhookSecret: secret });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { department: presentDepartment(row), webhookSecret: secret };
  });

  /** 测试推送: one signed delivery of a test event, sent now, and what the department's system answered. */
  router.post('/:id/test-delivery', validate({ params: departmentParams }), async (ctx) => {
    authorize(actorOf(ctx), 'department.manage');
    const dept = await load(ctx.input.params.id);
    if (dept.delivery !== 'webhook' || !dept.webhookUrl || !dept.webhookSecret) {
      throw new AppError(409, 'not_webhook', '该部门不是推送对接，或没有推送地址');
    }
    const deliveryId = `test-${randomUUID()}`;
    try {
      const res = await postSigned(dept, { deliveryId, event: 'test', sentAt: new Date().toISOString() }, deliveryId);
      ctx.body = { ok: res.ok, status: res.status, message: res.ok ? '推送成功' : `对方返回 HTTP ${res.status}` };
    } catch (err) {
      ctx.body = { ok: false, status: null, message: `推送失败：${(err as Error).message}` };
    }
  });

  return router;
}
