import { z } from 'zod';
import { INT4_MAX } from '../../middleware/validate.js';

const keywords = z.array(z.string().trim().min(1).max(20)).max(20);

export const answerBody = z.object({
  question: z.string().trim().min(2).max(200),
  answer: z.string().trim().min(1).max(2000),
  keywords: keywords.default([]),
  active: z.boolean().default(true),
});

export const answerUpdateBody = z
  .object({
    question: z.string().trim().min(2).max(200).optional(),
    answer: z.string().trim().min(1).max(2000).optional(),
    keywords: keywords.optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: '至少修改一项', path: ['body'] });

export const answerParams = z.object({ id: z.coerce.number().int().positive().max(INT4_MAX) });
export const searchQuery = z.object({ q: z.string().trim().min(1, '请输入要查找的问题').max(100) });
