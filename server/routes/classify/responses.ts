import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { codeName } from '../openapi/shapes.js';

/** The classifier's answer; it carries diagnostics (review reasons, stage probabilities) beside these fields. */
export const classification = z
  .looseObject({
    kind: z.string().nullable(),
    major: codeName.nullable(),
    minor: codeName.nullable(),
    confidence: z.number(),
    alternatives: z.array(codeName.extend({ kind: z.string(), confidence: z.number() })),
    needsReview: z.boolean(),
    entities: z.looseObject({
      locations: z.array(z.string()),
      times: z.array(z.string()),
      phones: z.array(z.string()),
    }),
    transfer: z.object({ agency: z.string() }).optional(),
  })
  .meta({ id: 'Classification' });

export const responses: Declarations = {
  'POST /api/classify': { summary: '分类建议（按地址限流）', auth: 'none', ok: classification, errors: [429] },
};
