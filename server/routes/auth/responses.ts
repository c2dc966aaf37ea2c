import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { dateTime, staffUser } from '../openapi/shapes.js';

export const responses: Declarations = {
  'POST /api/auth/login': {
    summary: '工作人员登录（会话 Cookie 与令牌）',
    auth: 'none',
    ok: z.object({ token: z.string(), expiresAt: dateTime, user: staffUser }),
    errors: [401, 429],
  },
  'POST /api/auth/logout': { summary: '退出登录', auth: 'none', ok: null, status: 204 },
  'GET /api/auth/me': { summary: '当前用户', ok: z.object({ user: staffUser }) },
};
