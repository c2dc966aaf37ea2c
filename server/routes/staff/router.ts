import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { staffRoles } from '../../db/schema.js';
import { createStaff, listStaff, staffById, updateStaff } from '../../auth/staff.js';
import { findDepartment } from '../../departments/queries.js';
import { INT4_MAX, validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { AppError, notFound } from '../../errors.js';
import { generatePassword, hashPassword } from '../../auth/passwords.js';
import { presentStaff } from '../../presenters/staff.js';

const createBody = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(32)
    .regex(/^[a-z0-9_.-]+$/, '只能使用小写字母、数字和 _.-'),
  displayName: z.string().trim().min(1).max(50),
  role: z.enum(staffRoles),
  departmentId: z.number().int().positive().max(INT4_MAX).nullable().optional(),
  extension: z
    .string()
    .trim()
    .regex(/^\d{3,8}$/, '分机号为 3 到 8 位数字')
    .nullable()
    .optional(),
  password: z.string().min(10, '密码至少 10 位').max(128).optional(),
});
const updateBody = z
  .object({
    displayName: z.string().trim().min(1).max(50).optional(),
    role: z.enum(staffRoles).optional(),
    departmentId: z.number().int().positive().max(INT4_MAX).nullable().optional(),
    extension: z
      .string()
      .trim()
      .regex(/^\d{3,8}$/)
      .nullable()
      .optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: '至少修改一项', path: ['body'] });
const idParams = z.object({ id: z.string().uuid() });

/** Staff accounts (admin only). A password generated here is shown once in the answer and never stored in clear. */
export function staffRoutes(services: Services) {
  const router = new Router({ prefix: '/api/staff' });
  router.use(requireStaff);

  router.get('/', async (ctx) => {
    authorize(actorOf(ctx), 'staff.manage');
    const rows = await listStaff(services);
    ctx.body = { items: rows.map(presentStaff) };
  });

  router.post('/', validate({ body: createBody }), async (ctx) => {
    authorize(actorOf(ctx), 'staff.manage');
    const b = ctx.input.body;
    if (b.role === 'department' && !b.departmentId)
      throw new AppError(400, 'invalid_request', 'departmentId: 部门账号须选择所属部门');
    if (b.departmentId) {
      if (!(await findDepartment(services, b.departmentId)))
        throw new AppError(422, 'unknown_department', 'departmentId: 部门不存在');
    }
    const password = b.password ?? generatePassword();
    const row = await createStaff(services, {
      username: b.username,
      displayName: b.displayName,
      role: b.role,
      departmentId: b.departmentId ?? null,
      extension: b.extension ?? null,
      passwordHash: await hashPassword(password),
    });
    if (!row) throw new AppError(409, 'username_taken', `用户名 ${b.username} 已存在`);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: presentStaff(row), ...(b.password ? {} : { password }) };
  });

  router.put('/:id', validate({ params: idParams, body: updateBody }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'staff.manage');
    const b = ctx.input.body;
    if (ctx.input.params.id === actor.id && (b.active === false || (b.role && b.role !== 'admin'))) {
      throw new AppError(409, 'self_lockout', '不能停用自己或取消自己的管理员角色');
    }
    const row = await updateStaff(services, ctx.input.params.id, b);
    if (!row) throw notFound('账号');
    ctx.body = { user: presentStaff(row) };
  });

  /** A new generated password, shown once in this answer; the account's sessions end. */
  router.post('/:id/password', validate({ params: idParams }), async (ctx) => {
    authorize(actorOf(ctx), 'staff.manage');
    const password = generatePassword();
    const row = await updateStaff(services, ctx.input.params.id, { passwordHash: await hashPassword(password) });
    if (!row) throw notFound('账号');
    await services.sessions.revokeAll(row.id);
    ctx.log.info({ staffId: row.id }, 'password reset');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: presentStaff(row), password };
  });

  /** Lifts the login lockouts of an account from every address (after a forgotten password, say). */
  router.post('/:id/unlock', validate({ params: idParams }), async (ctx) => {
    authorize(actorOf(ctx), 'staff.manage');
    const row = await staffById(services, ctx.input.params.id);
    if (!row) throw notFound('账号');
    const cleared = await services.limits.login.unlock(row.username);
    ctx.log.info({ staffId: row.id, cleared }, 'login lockout lifted');
    ctx.body = { user: presentStaff(row), cleared };
  });

  return router;
}
