import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { dateTime } from '../openapi/shapes.js';
import { listQuery, postBody, readQuery, updatesQuery } from './schema.js';

/** GeoReport v2 answers: JSON as declared here, XML (root > item*) when the path ends in .xml. */
const both = ['text/xml'];
const georeportError = z
  .array(z.object({ code: z.number().int(), description: z.string() }))
  .meta({ id: 'GeoReportErrors' });

export const serviceRequest = z
  .object({
    service_request_id: z.string(),
    status: z.enum(['open', 'closed']),
    status_notes: z.string(),
    service_name: z.string().nullable(),
    service_code: z.string(),
    description: z.string(),
    agency_responsible: z.string().nullable(),
    service_notice: z.null(),
    requested_datetime: dateTime,
    updated_datetime: dateTime,
    expected_datetime: dateTime.nullable(),
    address: z.string().nullable(),
    address_id: z.null(),
    zipcode: z.null(),
    lat: z.number().nullable(),
    long: z.number().nullable(),
    media_url: z.string().nullable(),
  })
  .meta({ id: 'GeoReportRequest' });

const endpoint = z.object({
  specification: z.string(),
  url: z.string(),
  changeset: z.string(),
  type: z.string(),
  formats: z.array(z.string()),
});

const open311 = { auth: 'none', alsoAs: both, errorSchema: georeportError } as const;

export const responses: Declarations = {
  'GET /open311/v2/discovery.:format': {
    ...open311,
    summary: 'Open311 服务发现',
    ok: z.object({
      changeset: z.string(),
      contact: z.string(),
      key_service: z.string(),
      endpoints: z.array(endpoint),
    }),
  },
  'GET /open311/v2/services.:format': {
    ...open311,
    summary: 'Open311 服务列表（小类）',
    query: readQuery,
    ok: z.array(
      z.object({
        service_code: z.string(),
        service_name: z.string(),
        description: z.string(),
        metadata: z.boolean(),
        type: z.string(),
        keywords: z.string().nullable(),
        group: z.string().nullable(),
      }),
    ),
  },
  'GET /open311/v2/services/:code': {
    ...open311,
    summary: 'Open311 服务定义（路径为 {service_code}.json 或 .xml）',
    query: readQuery,
    ok: z.object({ service_code: z.string(), attributes: z.array(z.unknown()) }),
  },
  'POST /open311/v2/requests.:format': {
    ...open311,
    summary: 'Open311 提交诉求（须 api_key；201 新案件，200 并入已有案件）',
    body: { type: 'application/x-www-form-urlencoded', schema: postBody },
    ok: z.array(
      z.object({ service_request_id: z.string(), service_notice: z.string(), account_id: z.string().nullable() }),
    ),
    status: 201,
    errors: [403],
  },
  'GET /open311/v2/requests.:format': {
    ...open311,
    summary: 'Open311 查询诉求（有 api_key 的合作方可见地址与照片）',
    query: listQuery,
    ok: z.array(serviceRequest),
  },
  'GET /open311/v2/requests/:id': {
    ...open311,
    summary: 'Open311 单个诉求（路径为 {service_request_id}.json 或 .xml）',
    query: readQuery,
    ok: z.array(serviceRequest),
  },
  'GET /open311/v2/tokens/:token': {
    ...open311,
    summary: 'Open311 由 token 查诉求编号',
    ok: z.array(z.object({ service_request_id: z.string(), token: z.string() })),
  },
  'GET /open311/v2/servicerequestupdates.:format': {
    ...open311,
    summary: 'Open311 状态变更（FixMyStreet 扩展）',
    query: updatesQuery,
    ok: z.array(
      z.object({
        update_id: z.string(),
        service_request_id: z.string(),
        status: z.string(),
        updated_datetime: dateTime,
        description: z.string(),
        media_url: z.string(),
      }),
    ),
  },
};
