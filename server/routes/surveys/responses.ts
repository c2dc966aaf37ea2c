import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { caseSummary, codeName, dateTime, idName, survey } from '../openapi/shapes.js';

export const callbackItem = z
  .object({
    id: z.string().nullable(),
    reason: z.string(),
    automaticAttempts: z.number().int(),
    callbackAttempts: z.number().int(),
    pendingCall: z.object({ startedAt: dateTime }).nullable(),
    survey: survey.nullable(),
    case: z.object({
      id: z.string(),
      caseNo: z.string(),
      title: z.string(),
      state: z.string(),
      version: z.number().int(),
      address: z.string().nullable(),
      category: codeName.nullable(),
      department: idName.nullable(),
      reworkCount: z.number().int(),
      updatedAt: dateTime,
    }),
    citizen: z
      .object({
        id: z.string(),
        phoneMasked: z.string().nullable(),
        name: z.string().nullable(),
        doNotCall: z.boolean(),
        wechat: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: 'CallbackItem' });

export const responses: Declarations = {
  'GET /api/surveys/callbacks': {
    summary: '人工回访队列（未接通、拒绝回访、无回访对象）',
    ok: z.object({ items: z.array(callbackItem), pbx: z.boolean() }),
  },
  'POST /api/surveys/:id/reveal': {
    summary: '回拨前查看市民完整号码（写入审计日志）',
    ok: z.object({ phone: z.string() }),
  },
  'POST /api/surveys/:id/callback-call': {
    summary: '拨打：电话交换机先呼坐席分机，接听后以热线号码呼叫市民',
    ok: z.object({ eventId: z.number().int(), extension: z.string(), startedAt: dateTime }),
    status: 202,
    errors: [404, 409],
  },
  'POST /api/surveys/:id/callback-attempts': {
    summary: '记录一次未接通的人工回拨',
    ok: z.object({ attempts: z.number().int() }),
    status: 201,
    errors: [409],
  },
  'POST /api/surveys/:id/answer': {
    summary: '坐席录入回访结果',
    ok: z.object({ survey, case: caseSummary }),
    errors: [409],
  },
};
