import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { caseEnvelope, caseList, caseSummary, dateTime, upload } from '../openapi/shapes.js';

const caseDetail = z
  .object({
    case: caseSummary.extend({ description: z.string(), photos: z.array(upload) }),
    events: z.array(
      z.object({
        id: z.number().int(),
        action: z.string(),
        actionLabel: z.string(),
        fromState: z.string().nullable(),
        toState: z.string().nullable(),
        actor: z.object({ type: z.string(), name: z.string().nullable() }),
        note: z.string().nullable(),
        attachments: z.array(upload),
        data: z.unknown(),
        createdAt: dateTime,
      }),
    ),
    reports: z.array(
      z.object({
        id: z.string(),
        channel: z.string(),
        text: z.string(),
        address: z.string().nullable(),
        disposition: z.string(),
        photos: z.array(upload),
        createdAt: dateTime,
      }),
    ),
    calls: z.array(
      z.object({
        id: z.string(),
        direction: z.string(),
        callerMasked: z.string().nullable(),
        agent: z.string().nullable(),
        startedAt: dateTime,
        endedAt: dateTime.nullable(),
        hangupCause: z.string().nullable(),
        recordingUrl: z.string().nullable(),
      }),
    ),
    messages: z.array(
      z.object({
        id: z.number().int(),
        direction: z.string(),
        kind: z.string(),
        text: z.string().nullable(),
        at: dateTime,
      }),
    ),
    reporter: z
      .object({
        id: z.string().nullable(),
        phoneMasked: z.string().nullable(),
        name: z.string().nullable(),
        wechat: z.boolean(),
      })
      .nullable(),
    allowedActions: z.array(z.string()),
    actionLabels: z.record(z.string(), z.string()),
  })
  .meta({ id: 'CaseDetail' });

export const responses: Declarations = {
  'GET /api/cases': {
    summary: '案件列表（筛选、分页或游标）',
    ok: caseList.extend({
      total: z.number().int(),
      totalCapped: z.boolean(),
      page: z.number().int().nullable(),
      pageSize: z.number().int(),
      nextCursor: z.string().nullable(),
    }),
  },
  'GET /api/cases.csv': { summary: '导出案件 CSV', ok: { type: 'text/csv', schema: z.string() } },
  'GET /api/review-queue': { summary: '低置信度复核队列', ok: caseList },
  'GET /api/cases/:id': { summary: '案件详情与时间线', ok: caseDetail },
  'POST /api/cases/:id/transitions': { summary: '案件流转', ok: caseEnvelope, errors: [409, 422] },
  'POST /api/cases/:id/reclassify': { summary: '改分类', ok: caseEnvelope, errors: [409, 422] },
  'POST /api/cases/:id/split': { summary: '拆分重复上报', ok: caseEnvelope, status: 201, errors: [409, 422] },
  'GET /api/cases/:id/events': {
    summary: '案件事件（原始记录，新的在前）',
    ok: z.object({ items: z.array(z.looseObject({ id: z.number().int(), action: z.string() })) }),
  },
};
