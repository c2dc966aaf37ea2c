import { z } from 'zod';

export const localDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    '不是有效日期',
  );

export const statsQuery = z
  .object({
    from: localDay.optional(),
    to: localDay.optional(),
    areaId: z.coerce.number().int().positive().optional(),
    departmentId: z.coerce.number().int().positive().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: '统计区间不能超过一年',
    path: ['to'],
  });
