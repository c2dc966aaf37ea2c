import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { dateTime } from '../openapi/shapes.js';

export const knowledgeAnswer = z
  .object({
    id: z.number().int(),
    question: z.string(),
    answer: z.string(),
    keywords: z.array(z.string()),
    active: z.boolean(),
    updatedAt: dateTime,
  })
  .meta({ id: 'KnowledgeAnswer' });

const list = z.object({ items: z.array(knowledgeAnswer) });
const one = z.object({ item: knowledgeAnswer });

export const responses: Declarations = {
  'GET /api/knowledge/search': { summary: '咨询知识库检索', ok: list },
  'GET /api/knowledge': { summary: '知识库条目（管理员）', ok: list },
  'POST /api/knowledge': { summary: '新增知识条目', ok: one, status: 201 },
  'PUT /api/knowledge/:id': { summary: '修改知识条目', ok: one },
  'DELETE /api/knowledge/:id': { summary: '删除知识条目', ok: null, status: 204 },
};
