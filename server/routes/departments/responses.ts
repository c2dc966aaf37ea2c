import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { department } from '../openapi/shapes.js';

/** The secret is in the answer only when it was made by this request. */
const withSecret = z.object({ department, webhookSecret: z.string().optional() });

export const responses: Declarations = {
  'POST /api/departments': {
    summary: '新建部门（推送密钥仅显示一次）',
    ok: withSecret,
    status: 201,
    errors: [409],
  },
  'PUT /api/departments/:id': { summary: '修改或停用部门', ok: withSecret },
  'POST /api/departments/:id/secret': {
    summary: '重置推送密钥（仅显示一次）',
    ok: z.object({ department, webhookSecret: z.string() }),
    errors: [409],
  },
  'POST /api/departments/:id/test-delivery': {
    summary: '测试推送（签名）',
    ok: z.object({ ok: z.boolean(), status: z.number().int().nullable(), message: z.string() }),
    errors: [409],
  },
};
