import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { dateTime } from '../openapi/shapes.js';

export const responses: Declarations = {
  'GET /api/deliveries/dead': {
    summary: '推送失败列表',
    ok: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          caseId: z.string(),
          caseNo: z.string(),
          department: z.string(),
          event: z.string(),
          attempts: z.number().int(),
          lastError: z.string().nullable(),
          createdAt: dateTime,
        }),
      ),
    }),
  },
  'POST /api/deliveries/:id/retry': {
    summary: '重试推送',
    ok: z.object({ status: z.literal('pending') }),
    status: 202,
    errors: [409],
  },
};
