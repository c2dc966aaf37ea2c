import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { screenPop } from '../openapi/shapes.js';

export const responses: Declarations = {
  'GET /api/screen-pop/stream': {
    summary: '弹屏推送（Server-Sent Events，事件 screen-pop，data 为 ScreenPop；?all=1 班长看全部）',
    query: z.object({ all: z.enum(['1']).optional() }),
    ok: {
      type: 'text/event-stream',
      schema: screenPop,
      description: '每条事件 `event: screen-pop`、`id: <callId>`、`data: <ScreenPop JSON>`；每 15 秒一条注释保活',
    },
  },
  'GET /api/screen-pop/current': {
    summary: '坐席当前通话的弹屏（页面刷新后恢复）',
    ok: z.object({ screenPop: screenPop.nullable() }),
  },
  'POST /api/calls/simulate': {
    summary: '模拟来电（无 PBX 的演示与测试；生产环境不可用）',
    ok: z.object({ callId: z.string(), screenPop }),
    status: 201,
  },
  'GET /api/calls/:id/recording': {
    summary: '通话录音',
    ok: { type: 'audio/wav', schema: z.string().meta({ format: 'binary' }) },
  },
};
