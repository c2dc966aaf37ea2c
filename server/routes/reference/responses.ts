import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { dateTime, department } from '../openapi/shapes.js';

interface CategoryNode {
  code: string;
  name: string;
  kind?: string;
  children?: CategoryNode[];
}
export const categoryNode: z.ZodType<CategoryNode> = z
  .looseObject({
    code: z.string(),
    name: z.string(),
    kind: z.string().optional(),
    get children() {
      return z.array(categoryNode).optional();
    },
  })
  .meta({ id: 'CategoryNode' });

export const routingRule = z
  .object({
    id: z.number().int(),
    city: z.string(),
    categoryCode: z.string(),
    areaId: z.number().int().nullable(),
    departmentId: z.number().int(),
    deadlineHours: z.number(),
    deadlineType: z.enum(['working', 'calendar']),
    priority: z.enum(['紧急', '较急', '一般']),
    urgentDeadlineHours: z.number().nullable(),
    active: z.boolean(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: 'RoutingRule' });

const position = z.array(z.number());
/** An area's outline as stored (server/areas/validate.ts): a Polygon or a MultiPolygon. */
export const areaGeometry = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
  ])
  .meta({ id: 'AreaGeometry' });

export const gridCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.number().int(),
        geometry: areaGeometry.nullable(),
        properties: z.object({
          id: z.number().int(),
          code: z.string(),
          name: z.string(),
          level: z.string(),
          parentId: z.number().int().nullable(),
          openCases: z.number().int(),
          overdueCases: z.number().int(),
        }),
      }),
    ),
  })
  .meta({ id: 'GridCollection' });

export const responses: Declarations = {
  'GET /api/categories': {
    summary: '分类树（公开）',
    auth: 'none',
    ok: z.object({ city: z.string(), items: z.array(categoryNode) }),
  },
  'GET /api/areas': { summary: '网格 GeoJSON 与在办、超期案件数', ok: gridCollection },
  'GET /api/departments': { summary: '部门', ok: z.object({ items: z.array(department) }) },
  'GET /api/routing-rules': { summary: '指挥手册规则', ok: z.object({ items: z.array(routingRule) }) },
  'POST /api/routing-rules': {
    summary: '新增规则',
    ok: z.object({ rule: routingRule }),
    status: 201,
    errors: [422],
  },
  'PUT /api/routing-rules/:id': { summary: '修改规则', ok: z.object({ rule: routingRule }), errors: [422] },
  'DELETE /api/routing-rules/:id': { summary: '删除规则', ok: null, status: 204 },
};
