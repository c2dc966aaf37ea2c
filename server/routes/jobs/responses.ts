import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { dateTime } from '../openapi/shapes.js';

export const responses: Declarations = {
  'GET /api/jobs/failed': {
    summary: '重试用尽的后台任务',
    ok: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          queue: z.string(),
          data: z.unknown(),
          error: z.string().nullable(),
          attempts: z.number().int(),
          failedAt: dateTime.nullable(),
        }),
      ),
    }),
    errors: [503],
  },
  'POST /api/jobs/:queue/:id/retry': {
    summary: '重试失败的任务',
    ok: z.object({ status: z.literal('retry') }),
    status: 202,
    errors: [409, 503],
  },
};
