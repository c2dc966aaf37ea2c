import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';

export const responses: Declarations = {
  'GET /s/answer.js': {
    summary: '回访短链接页面的脚本',
    auth: 'none',
    ok: { type: 'application/javascript', description: '页面脚本（无内联脚本：CSP）' },
  },
  'GET /s/:code': {
    summary: '短信回访短链接：显示案件编号和评价按钮（code 为回访 id 与 64 位 HMAC，base64url）',
    auth: 'none',
    ok: {
      type: 'text/html',
      description: 'zh-CN 评价页面；链接无效时浏览器（Accept: text/html）得到 404 页面，其他客户端得到 404 错误 JSON',
    },
    errors: [404],
  },
  'POST /api/public/surveys/:code/answer': {
    summary: '市民通过短信里的回访短链接评价',
    auth: 'none',
    ok: z.object({ caseNo: z.string(), result: z.string().nullable(), effect: z.string() }),
    errors: [409],
  },
};
