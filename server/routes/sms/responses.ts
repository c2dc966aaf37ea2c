import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { aliyunReplies, tencentReply } from './schema.js';

export const responses: Declarations = {
  'POST /api/sms/replies/:provider/:token': {
    summary: '短信上行推送（回访回复、退订）：阿里云为数组，腾讯云为单条；URL 中的 token 即 SMS_CALLBACK_TOKEN',
    auth: 'signed',
    body: { type: 'application/json', schema: z.union([aliyunReplies, tencentReply]) },
    ok: z.union([
      z.object({ code: z.literal(0), msg: z.string() }),
      z.object({ result: z.literal(0), errmsg: z.string() }),
    ]),
  },
};
