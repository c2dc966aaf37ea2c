import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';

const n = z.number();
const rate = z.number().nullable();

/** The figures; the report carries further breakdowns beside these (loose). */
export const stats = z
  .looseObject({
    period: z.object({
      from: z.string(),
      to: z.string(),
      asOf: z.string(),
      areaId: z.number().int().nullable(),
      departmentId: z.number().int().nullable(),
    }),
    totals: z.looseObject({
      received: n,
      closed: n,
      closedOnTime: n,
      surveyed: n,
      satisfied: n,
      reworked: n,
    }),
    rates: z.record(z.string(), rate),
    byChannel: z.array(z.object({ channel: z.string(), n })),
    byCategory: z.array(z.object({ code: z.string(), name: z.string(), n })),
    byDay: z.array(z.object({ day: z.string(), n })),
    departments: z.array(
      z.looseObject({
        id: z.number().int(),
        name: z.string(),
        received: n,
        closed: n,
        onTimeRate: rate,
        satisfactionRate: rate,
        reworkRate: rate,
        score: rate,
      }),
    ),
    supervision: z.object({ urges: n, urgedCases: n }),
  })
  .meta({ id: 'Stats' });

export const responses: Declarations = {
  'GET /api/stats': {
    summary: '考评指标（结案率、按期结案率、满意率、回访率、返工率、部门排名、催办次数）',
    ok: stats,
  },
  'GET /api/stats.csv': { summary: '导出考评指标 CSV', ok: { type: 'text/csv', schema: z.string() } },
};
