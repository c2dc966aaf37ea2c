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

/** What we POST to a webhook department's system on each change of its case (server/cases/transitions.ts). */
export const caseDelivery = z
  .object({
    deliveryId: z.string(),
    event: z.string(),
    eventId: z.number().int(),
    case: z.object({
      id: z.string(),
      caseNo: z.string(),
      state: caseState,
      categoryCode: z.string().nullable(),
      title: z.string(),
      description: z.string(),
      address: z.string().nullable(),
      lat: z.number().nullable(),
      lng: z.number().nullable(),
      priority: z.string(),
      deadlineAt: z.string().nullable(),
      version: z.number().int(),
    }),
  })
  .meta({ id: 'CaseDelivery' });
