import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { dateTime } from '../openapi/shapes.js';

const item = (type: string, fields: z.ZodRawShape) => z.object({ type: z.literal(type), at: dateTime, ...fields });

export const citizenTimelineItem = z
  .discriminatedUnion('type', [
    item('report', {
      channel: z.string(),
      text: z.string(),
      caseId: z.string().nullable(),
      caseNo: z.string().nullable(),
      disposition: z.string(),
    }),
    item('call', {
      direction: z.string(),
      caseId: z.string().nullable(),
      endedAt: dateTime.nullable(),
      hangupCause: z.string().nullable(),
    }),
    item('survey', { caseId: z.string(), caseNo: z.string(), note: z.string().nullable() }),
  ])
  .meta({ id: 'CitizenTimelineItem' });

export const responses: Declarations = {
  'GET /api/citizens/:id': {
    summary: '市民信息（号码脱敏）',
    ok: z.object({
      citizen: z.object({
        id: z.string(),
        phoneMasked: z.string().nullable(),
        name: z.string().nullable(),
        wechat: z.boolean(),
        doNotCall: z.boolean(),
        createdAt: dateTime,
      }),
    }),
  },
  'POST /api/citizens/:id/unmask': { summary: '显示完整号码（记录审计）', ok: z.object({ phone: z.string() }) },
  'GET /api/citizens/:id/timeline': {
    summary: '市民跨渠道记录（新的在前）',
    ok: z.object({ items: z.array(citizenTimelineItem) }),
  },
};
