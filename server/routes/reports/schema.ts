import { z } from 'zod';
import { INT4_MAX } from '../../middleware/validate.js';
import { urgencies } from '../../cases/urgency.js';
import { reportChannels } from '../../cases/channels.js';

export const location = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});

export const idempotencyKey = z
  .string()
  .trim()
  .min(8, '至少 8 个字符')
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, '只能包含字母、数字和 ._:-');

export const staffReportBody = z.object({
  idempotencyKey,
  channel: z.enum(reportChannels).extract(['hotline', 'agent']).default('agent'),
  text: z.string().trim().min(1).max(5000),
  phone: z.string().trim().max(32).optional(),
  name: z.string().trim().max(50).optional(),
  location: location.optional(),
  address: z.string().trim().max(200).optional(),
  categoryCode: z.string().trim().max(16).optional(),
  callId: z.string().trim().max(128).optional(),
  photos: z.array(z.string().uuid()).max(6).optional(),
  urgency: z.enum(urgencies).default('一般'),
  /** 咨询: answered on the spot; the case is closed with this answer and never dispatched. */
  consultation: z
    .object({
      answer: z.string().trim().min(1, '请填写答复内容').max(2000),
      knowledgeId: z.number().int().positive().max(INT4_MAX).optional(),
    })
    .optional(),
});

export const nearbyQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  categoryCode: z.string().trim().min(1).max(16),
});
