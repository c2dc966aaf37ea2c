import { z } from 'zod';
import { surveyResults } from '../../surveys/policy.js';
import { callbackOutcomes, type CallbackOutcome } from '../../surveys/callbacks.js';

export const surveyIdParams = z.object({ id: z.string().uuid('回访 id 格式不正确') });

export const answerBody = z.object({
  result: z.enum(surveyResults),
  comment: z.string().trim().max(500).optional(),
});

export const callbackAttemptBody = z.object({
  outcome: z.enum(Object.keys(callbackOutcomes) as [CallbackOutcome, ...CallbackOutcome[]]),
  note: z.string().trim().max(200).optional(),
});
