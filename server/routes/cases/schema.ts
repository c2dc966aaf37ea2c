import { z } from 'zod';
import { INT4_MAX } from '../../middleware/validate.js';
import { caseActions } from '../../cases/lifecycle.js';
import { reportChannels } from '../../cases/channels.js';
import { localDay } from '../stats/schema.js';

const csv = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .optional();

export const listQuery = z.object({
  state: csv,
  categoryCode: z.string().trim().max(16).optional(),
  areaId: z.coerce.number().int().positive().max(INT4_MAX).optional(),
  departmentId: z.coerce.number().int().positive().max(INT4_MAX).optional(),
  deadlineStatus: z.enum(['正常', '即将超期', '已超期']).optional(),
  channel: z.enum(reportChannels).optional(),
  q: z.string().trim().max(100).optional(),
  triage: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Received on or after this local (Asia/Shanghai) date. */
  from: localDay.optional(),
  /** Received on or before this local date. */
  to: localDay.optional(),
  /** The previous answer's nextCursor: the next rows, as fast at any depth. Takes precedence over page. */
  cursor: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const idParams = z.object({ id: z.string().uuid('案件 id 格式不正确') });

export const transitionBody = z.object({
  action: z.enum(caseActions as [string, ...string[]]),
  version: z.number().int().min(1).max(INT4_MAX),
  note: z.string().trim().max(2000).optional(),
  attachments: z.array(z.string().uuid()).max(9).optional(),
  departmentId: z.number().int().positive().max(INT4_MAX).optional(),
  hours: z.number().positive().max(720).optional(),
  agency: z.string().trim().min(1).max(50).optional(),
  /** 并案: the case this one is merged into. */
  mergeInto: z.string().uuid().optional(),
});

export const reclassifyBody = z.object({
  categoryCode: z.string().trim().min(1).max(16),
  version: z.number().int().min(1).max(INT4_MAX),
});
export const splitBody = z.object({ reportId: z.string().uuid() });
