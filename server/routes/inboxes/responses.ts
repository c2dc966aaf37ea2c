import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { caseSummary } from '../openapi/shapes.js';

export const inboxCounts = z
  .object({ items: z.array(z.object({ name: z.string(), label: z.string(), count: z.number().int() })) })
  .meta({ id: 'InboxCounts' });

export const responses: Declarations = {
  'GET /api/inboxes': { summary: '本角色各待办列表及数量', ok: inboxCounts },
  'GET /api/inboxes/stream': {
    summary: '待办数量推送（Server-Sent Events）',
    ok: {
      type: 'text/event-stream',
      schema: inboxCounts,
      description: '连接时及数量变化时各一条 `event: inbox-counts`，data 为 InboxCounts JSON',
    },
  },
  'GET /api/inboxes/:name': {
    summary: '待办列表（按处置时限排序）',
    ok: z.object({
      name: z.string(),
      label: z.string(),
      items: z.array(caseSummary.extend({ allowedActions: z.array(z.string()) })),
    }),
  },
};
