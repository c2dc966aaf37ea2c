import type { Declarations } from '../openapi/declare.js';
import { plainText } from '../openapi/shapes.js';

const check = { auth: 'signed', ok: plainText, errors: [401] } as const;
const push = {
  auth: 'signed',
  body: { type: 'text/xml', description: '微信推送的消息或事件（安全模式下加密）' },
  ok: plainText,
  errors: [401, 503],
} as const;

export const responses: Declarations = {
  'GET /wechat/official-account': { ...check, summary: '公众号服务器地址校验（echostr）' },
  'POST /wechat/official-account': { ...push, summary: '公众号消息推送（签名，回复 success）' },
  'GET /wechat/mini-program': { ...check, summary: '小程序客服消息服务器地址校验（echostr）' },
  'POST /wechat/mini-program': { ...push, summary: '小程序客服消息与内容安全结果推送（签名，回复 success）' },
};
