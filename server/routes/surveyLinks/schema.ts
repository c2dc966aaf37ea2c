import { z } from 'zod';
import { surveyResults } from '../../surveys/policy.js';

export const codeParams = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{32}$/, '链接无效') });

export const linkAnswerBody = z.object({
  result: z.enum(surveyResults),
  comment: z.string().trim().max(500).optional(),
});
