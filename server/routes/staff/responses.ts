import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { staffUser } from '../openapi/shapes.js';

const user = z.object({ user: staffUser });

export const responses: Declarations = {
  'GET /api/staff': { summary: '工作人员账号', ok: z.object({ items: z.array(staffUser) }) },
  'POST /api/staff': {
    summary: '新建账号（未给密码时生成，仅显示一次）',
    ok: user.extend({ password: z.string().optional() }),
    status: 201,
    errors: [409, 422],
  },
  'PUT /api/staff/:id': { summary: '修改或停用账号', ok: user, errors: [409] },
  'POST /api/staff/:id/password': {
    summary: '重置密码（新密码仅显示一次）',
    ok: user.extend({ password: z.string() }),
  },
  'POST /api/staff/:id/unlock': {
    summary: '解除登录锁定',
    ok: user.extend({ cleared: z.number().int() }),
  },
};
