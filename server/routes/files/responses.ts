import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { upload } from '../openapi/shapes.js';

const image = {
  type: 'image/jpeg',
  schema: z.string().meta({ format: 'binary' }),
  description: '图片（签名链接 ?exp=&sig=，或有权查看的工作人员、上传的市民）',
} as const;
const signed = z.object({ exp: z.string().optional(), sig: z.string().optional() });

export const responses: Declarations = {
  'POST /api/uploads': {
    summary: '工作人员上传图片（multipart，字段 file）',
    body: { type: 'multipart/form-data', schema: z.object({ file: z.string().meta({ format: 'binary' }) }) },
    ok: upload,
    status: 201,
    errors: [413, 415, 422, 429],
  },
  'GET /files/:id': { summary: '图片原图', auth: 'none', query: signed, ok: image },
  'GET /files/:id/thumb': { summary: '图片缩略图', auth: 'none', query: signed, ok: image },
};
