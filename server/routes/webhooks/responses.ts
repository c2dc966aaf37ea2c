import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { caseState } from '../openapi/shapes.js';
import { statusBody } from './schema.js';

export const responses: Declarations = {
  'POST /api/webhooks/departments/:code': {
    summary: '部门系统回传状态（HMAC 签名，事件只受理一次）',
    auth: 'signed',
    body: { type: 'application/json', schema: statusBody },
    ok: z.object({ caseNo: z.string(), state: caseState, version: z.number().int() }),
    errors: [401, 409, 422],
  },
};
