import { z } from 'zod';
import type { Declarations } from './declare.js';

/** The routes of server/routes/health.ts and of this folder. */
export const responses: Declarations = {
  'GET /healthz': { summary: '存活检查', auth: 'none', ok: z.object({ status: z.literal('ok') }) },
  'GET /readyz': {
    summary: '就绪检查（数据库、队列、PBX）；未就绪为 503，同样的应答体',
    auth: 'none',
    ok: z.object({
      status: z.enum(['ready', 'degraded', 'not_ready']),
      checks: z.record(z.string(), z.string()),
      cluster: z.object({ instance: z.string(), role: z.string() }),
    }),
    errors: [503],
  },
  'GET /metrics': { summary: 'Prometheus 指标', auth: 'none', ok: { type: 'text/plain', schema: z.string() } },
  'GET /openapi.json': {
    summary: '本文档（OpenAPI 3.1，由挂载的路由生成）',
    auth: 'none',
    ok: { type: 'application/json', description: 'OpenAPI 3.1 文档' },
  },
  'GET /docs': { summary: 'API 文档页面', auth: 'none', ok: { type: 'text/html', schema: z.string() } },
  'GET /docs.js': { summary: 'API 文档页面的脚本', auth: 'none', ok: { type: 'text/javascript', schema: z.string() } },
};
