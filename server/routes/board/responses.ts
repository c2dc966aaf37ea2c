import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { day, latLng } from '../openapi/shapes.js';

export const boardCase = z
  .object({
    caseNo: z.string(),
    category: z.string().nullable(),
    street: z.string().nullable(),
    streetId: z.number().int().nullable(),
    community: z.string().nullable(),
    state: z.enum(['已办结', '办理中']),
    receivedOn: day,
    closedOn: day.nullable(),
    point: latLng.nullable(),
    reply: z.string().nullable(),
  })
  .meta({ id: 'BoardCase' });

export const streetFigures = z
  .object({
    streetId: z.number().int().nullable(),
    street: z.string(),
    received: z.number().int(),
    closureRate: z.number().nullable(),
    onTimeRate: z.number().nullable(),
    satisfactionRate: z.number().nullable(),
  })
  .meta({ id: 'StreetFigures' });

const html = { type: 'text/html', schema: z.string() };

export const responses: Declarations = {
  'GET /api/public/board': {
    summary: '公开栏：已办结与办理中的问题（匿名）',
    auth: 'none',
    ok: z.object({ items: z.array(boardCase), streets: z.array(z.object({ id: z.number().int(), name: z.string() })) }),
    errors: [429],
  },
  'GET /api/public/board/figures': {
    summary: '公开栏：各街道月度指标',
    auth: 'none',
    ok: z.object({ month: z.string(), streets: z.array(streetFigures) }),
    errors: [429],
  },
  'GET /public': { summary: '公开栏页面', auth: 'none', ok: html, errors: [503] },
  'GET /public/': { summary: '公开栏页面', auth: 'none', ok: html, errors: [503] },
};
