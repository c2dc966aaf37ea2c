import { z } from 'zod';
import { INT4_MAX, isoDay } from '../../middleware/validate.js';

const day = isoDay;
/** A local calendar day (YYYY-MM-DD), as the case list and the figures take it. */
export const localDay = isoDay;

export const statsQuery = z
  .object({
    from: day.optional(),
    to: day.optional(),
    areaId: z.coerce.number().int().positive().max(INT4_MAX).optional(),
    departmentId: z.coerce.number().int().positive().max(INT4_MAX).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: '统计区间不能超过一年',
    path: ['to'],
  });
