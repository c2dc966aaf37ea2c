import { z } from 'zod';

export const replyParams = z.object({
  provider: z.enum(['aliyun', 'tencent']),
  token: z.string().max(128),
});

/** Aliyun's 上行短信 (SmsUp) push: a JSON array of replies. */
const aliyunReply = z.object({
  phone_number: z.string().min(5).max(20),
  content: z.string().max(1000),
  send_time: z.string().max(40).optional(),
  sign_name: z.string().max(100).optional(),
  dest_code: z.string().max(40).optional(),
  sequence_id: z.union([z.number(), z.string().max(40)]),
});
export const aliyunReplies = z.array(aliyunReply).max(1000);

/** Tencent's 短信回复 callback: one reply per request. */
export const tencentReply = z.object({
  mobile: z.string().min(5).max(20),
  nationcode: z.string().max(8).optional(),
  text: z.string().max(1000),
  sign: z.string().max(100).optional(),
  time: z.number().int(),
  extend: z.string().max(40).nullable().optional(),
});
