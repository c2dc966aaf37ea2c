import { z } from 'zod';

export const contactParams = z.object({ contactId: z.string().trim().min(1).max(200) });

export const conversationsQuery = z.object({
  handover: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const messagesQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const replyBody = z.object({ text: z.string().trim().min(1).max(2000) });
