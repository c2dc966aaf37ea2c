import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { caseSummary } from '../openapi/shapes.js';

export const reportResult = z
  .object({ report: z.object({ id: z.string(), disposition: z.enum(['opened', 'duplicate']) }), case: caseSummary })
  .meta({ id: 'ReportResult' });

export const responses: Declarations = {
  'POST /api/reports': {
    summary: '坐席受理上报（201 新案件，200 同一幂等键或并入已有案件）',
    ok: reportResult,
    status: 201,
    errors: [409, 422],
  },
  'GET /api/reports/nearby': {
    summary: '附近疑似重复案件',
    ok: z.object({ items: z.array(caseSummary.extend({ distanceM: z.number() })) }),
  },
};
