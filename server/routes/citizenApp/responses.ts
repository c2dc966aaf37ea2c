import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { categoryRef, caseState, dateTime, photo, upload } from '../openapi/shapes.js';

const token = z.object({ token: z.string(), expiresAt: dateTime });
const timelineStep = z.object({ at: dateTime, label: z.string() });

export const citizenReportSummary = z
  .object({
    caseNo: z.string(),
    title: z.string(),
    state: caseState,
    category: categoryRef.nullable(),
    address: z.string().nullable(),
    createdAt: dateTime,
    thumbUrl: z.string().nullable(),
    surveyPending: z.boolean(),
  })
  .meta({ id: 'CitizenReportSummary' });

export const citizenReportDetail = z
  .object({
    caseNo: z.string(),
    state: caseState,
    category: categoryRef.nullable(),
    description: z.string(),
    address: z.string().nullable(),
    location: z.object({ lat: z.number(), lng: z.number().nullable() }).nullable(),
    createdAt: dateTime,
    photos: z.array(photo),
    afterPhotos: z.array(photo),
    reply: z.string().nullable(),
    timeline: z.array(timelineStep.extend({ note: z.string().nullable() })),
    survey: z.object({ pending: z.boolean(), result: z.string().nullable() }),
  })
  .meta({ id: 'CitizenReportDetail' });

export const publicCase = z
  .object({
    caseNo: z.string(),
    state: caseState,
    category: categoryRef.nullable(),
    address: z.string().nullable(),
    createdAt: dateTime,
    closedAt: dateTime.nullable(),
    timeline: z.array(timelineStep),
  })
  .meta({ id: 'PublicCase' });

export const publicCaseItem = z
  .object({
    caseNo: z.string(),
    category: categoryRef.nullable(),
    state: caseState,
    address: z.string().nullable(),
    closedAt: dateTime.nullable(),
  })
  .meta({ id: 'PublicCaseItem' });

export const responses: Declarations = {
  'POST /api/citizen/login': {
    summary: '小程序登录（wx.login 的 code 换令牌）',
    auth: 'none',
    ok: token,
    errors: [429, 503],
  },
  'POST /api/citizen/dev-login': {
    summary: '开发登录（仅 DEV_LOGIN=true）',
    auth: 'none',
    ok: token.extend({ openid: z.string() }),
  },
  'POST /api/citizen/uploads': {
    summary: '市民上传图片（multipart，字段 file）',
    auth: 'citizen',
    body: { type: 'multipart/form-data', schema: z.object({ file: z.string().meta({ format: 'binary' }) }) },
    ok: upload,
    status: 201,
    errors: [413, 415, 422, 429],
  },
  'POST /api/citizen/reports': {
    summary: '市民上报（201 新案件，200 并入已有案件）',
    auth: 'citizen',
    ok: z.object({ caseNo: z.string(), caseId: z.string(), state: caseState, duplicate: z.boolean() }),
    status: 201,
    errors: [422],
  },
  'GET /api/citizen/reports': {
    summary: '我的上报',
    auth: 'citizen',
    ok: z.object({ items: z.array(citizenReportSummary) }),
  },
  'GET /api/citizen/reports/:caseNo': { summary: '我的上报详情与进度', auth: 'citizen', ok: citizenReportDetail },
  'POST /api/citizen/reports/:caseNo/survey': {
    summary: '评价处置结果',
    auth: 'citizen',
    ok: z.object({ state: caseState, result: z.string() }),
    errors: [409, 422],
  },
  'POST /api/citizen/subscriptions': { summary: '记录订阅消息授权', auth: 'citizen', ok: null, status: 204 },
  'GET /api/public/cases/:caseNo': { summary: '公开查询案件进度', auth: 'none', ok: publicCase, errors: [429] },
  'GET /api/public/cases': {
    summary: '附近已办结案件',
    auth: 'none',
    ok: z.object({ items: z.array(publicCaseItem) }),
    errors: [429],
  },
};
