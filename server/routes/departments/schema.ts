import { z } from 'zod';
import { INT4_MAX } from '../../middleware/validate.js';

const webhookUrl = z
  .string()
  .trim()
  .url('须为完整的网址')
  .max(500)
  .refine((u) => /^https?:\/\//.test(u), '只支持 http 或 https 地址');

const fields = {
  name: z.string().trim().min(1).max(50),
  delivery: z.enum(['internal', 'webhook']),
  webhookUrl: webhookUrl.nullable(),
  agency: z.string().trim().min(1).max(50).nullable(),
  active: z.boolean(),
};

const needsUrl = (b: { delivery?: string; webhookUrl?: string | null }) => b.delivery !== 'webhook' || !!b.webhookUrl;
const urlMessage = { message: '对接方式为推送时须填写推送地址', path: ['webhookUrl'] };

export const createDepartmentBody = z
  .object({
    code: z
      .string()
      .trim()
      .min(2)
      .max(32)
      .regex(/^[A-Za-z0-9-]+$/, '只能使用字母、数字和 -'),
    name: fields.name,
    delivery: fields.delivery.default('internal'),
    webhookUrl: fields.webhookUrl.optional(),
    agency: fields.agency.optional(),
  })
  .refine(needsUrl, urlMessage);

export const updateDepartmentBody = z
  .object({
    name: fields.name.optional(),
    delivery: fields.delivery.optional(),
    webhookUrl: fields.webhookUrl.optional(),
    agency: fields.agency.optional(),
    active: fields.active.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: '至少修改一项', path: ['body'] });

export const departmentParams = z.object({ id: z.coerce.number().int().positive().max(INT4_MAX) });
