import type { Declarations } from '../openapi/declare.js';
import { plainText } from '../openapi/shapes.js';

export const responses: Declarations = {
  'GET /api/wechat/events': {
    summary: '小程序消息推送服务器地址校验（echostr）',
    auth: 'signed',
    ok: plainText,
    errors: [401],
  },
  'POST /api/wechat/events': {
    summary: '小程序消息推送：图片内容安全结果（签名，回复 success）',
    auth: 'signed',
    body: { type: 'text/xml', description: 'wxa_media_check 事件（XML 或 JSON）' },
    ok: plainText,
    errors: [401],
  },
};
