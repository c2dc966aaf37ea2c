import { z } from 'zod';
import { idempotencyKey, location } from '../reports/schema.js';
import { CASE_NO } from '../../cases/caseNumber.js';
import { satisfactionAnswers } from '../../surveys/vocabulary.js';

export const loginBody = z.object({ code: z.string().trim().min(1).max(128) });
export const devLoginBody = z.object({
  openid: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

export const citizenReportBody = z.object({
  idempotencyKey,
  text: z.string().trim().min(5, '请至少写 5 个字描述问题').max(2000),
  categoryCode: z.string().trim().max(16).optional(),
  location: location.optional(),
  address: z.string().trim().max(200).optional(),
  photos: z.array(z.string().uuid()).max(6, '最多 6 张照片').optional(),
});

export const caseNoParams = z.object({ caseNo: z.string().regex(CASE_NO, 'caseNo: 案件编号为 13 或 14 位数字') });
export const surveyBody = z.object({
  result: z.enum(satisfactionAnswers),
  comment: z.string().trim().max(500).optional(),
});
export const subscriptionsBody = z.object({
  templateIds: z.array(z.string().max(64)).max(10),
  accepted: z.array(z.string().max(64)).max(10),
});
export const nearbyQuery = z.object({
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
});
