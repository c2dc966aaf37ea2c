import Router from '@koa/router';
import { z, type ZodType } from 'zod';
import type { Services } from '../../context.js';
import { loginBody } from '../auth/schema.js';
import { nearbyQuery, staffReportBody } from '../reports/schema.js';
import { listQuery, reclassifyBody, splitBody, transitionBody } from '../cases/schema.js';

interface Op {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  body?: ZodType;
  query?: ZodType;
  auth?: 'staff' | 'citizen' | 'none';
}

const extra: Op[] = [];
/** Other route groups add their operations here so the document stays complete. */
export function registerOperation(op: Op) {
  extra.push(op);
}

const ops: Op[] = [
  { method: 'post', path: '/api/auth/login', summary: '工作人员登录', tag: 'auth', body: loginBody, auth: 'none' },
  { method: 'post', path: '/api/auth/logout', summary: '退出登录', tag: 'auth' },
  { method: 'get', path: '/api/auth/me', summary: '当前用户', tag: 'auth' },
  {
    method: 'post',
    path: '/api/classify',
    summary: '分类建议',
    tag: 'nlp',
    body: z.object({ text: z.string().max(10000) }),
    auth: 'none',
  },
  { method: 'post', path: '/api/reports', summary: '坐席受理上报', tag: 'reports', body: staffReportBody },
  { method: 'get', path: '/api/reports/nearby', summary: '附近疑似重复案件', tag: 'reports', query: nearbyQuery },
  { method: 'get', path: '/api/cases', summary: '案件列表', tag: 'cases', query: listQuery },
  { method: 'get', path: '/api/cases.csv', summary: '导出案件 CSV', tag: 'cases', query: listQuery },
  { method: 'get', path: '/api/cases/{id}', summary: '案件详情与时间线', tag: 'cases' },
  { method: 'post', path: '/api/cases/{id}/transitions', summary: '案件流转', tag: 'cases', body: transitionBody },
  { method: 'post', path: '/api/cases/{id}/reclassify', summary: '改分类', tag: 'cases', body: reclassifyBody },
  { method: 'post', path: '/api/cases/{id}/split', summary: '拆分重复上报', tag: 'cases', body: splitBody },
  { method: 'get', path: '/api/review-queue', summary: '低置信度复核队列', tag: 'cases' },
  { method: 'get', path: '/api/citizens/{id}', summary: '市民信息（号码脱敏）', tag: 'citizens' },
  { method: 'post', path: '/api/citizens/{id}/unmask', summary: '显示完整号码（记录审计）', tag: 'citizens' },
  { method: 'get', path: '/api/citizens/{id}/timeline', summary: '市民跨渠道记录', tag: 'citizens' },
  { method: 'get', path: '/api/areas', summary: '网格 GeoJSON 与案件数', tag: 'reference' },
  { method: 'get', path: '/api/departments', summary: '部门', tag: 'reference' },
  { method: 'get', path: '/api/categories', summary: '分类树', tag: 'reference', auth: 'none' },
  { method: 'get', path: '/api/routing-rules', summary: '指挥手册规则', tag: 'reference' },
  { method: 'post', path: '/api/routing-rules', summary: '新增规则', tag: 'reference' },
  { method: 'put', path: '/api/routing-rules/{id}', summary: '修改规则', tag: 'reference' },
  { method: 'delete', path: '/api/routing-rules/{id}', summary: '删除规则', tag: 'reference' },
  { method: 'post', path: '/api/uploads', summary: '上传图片（multipart，字段 file）', tag: 'files' },
  { method: 'get', path: '/api/deliveries/dead', summary: '推送失败列表', tag: 'forwarding' },
  { method: 'post', path: '/api/deliveries/{id}/retry', summary: '重试推送', tag: 'forwarding' },
  {
    method: 'post',
    path: '/api/webhooks/departments/{code}',
    summary: '部门系统回传状态（HMAC 签名）',
    tag: 'forwarding',
    auth: 'none',
  },
  { method: 'get', path: '/open311/v2/services.json', summary: 'Open311 服务列表', tag: 'open311', auth: 'none' },
  {
    method: 'post',
    path: '/open311/v2/requests.json',
    summary: 'Open311 提交诉求（form-encoded）',
    tag: 'open311',
    auth: 'none',
  },
  { method: 'get', path: '/open311/v2/requests.json', summary: 'Open311 查询诉求', tag: 'open311', auth: 'none' },
  { method: 'get', path: '/open311/v2/discovery.json', summary: 'Open311 服务发现', tag: 'open311', auth: 'none' },
  {
    method: 'get',
    path: '/open311/v2/servicerequestupdates.json',
    summary: 'Open311 状态变更（FixMyStreet 扩展）',
    tag: 'open311',
    auth: 'none',
  },
];

function schemaOf(t: ZodType) {
  return z.toJSONSchema(t, { io: 'input', unrepresentable: 'any' });
}

export function buildOpenApi() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...ops, ...extra]) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (op.query) {
      const js = schemaOf(op.query);
      for (const [name, schema] of Object.entries(js.properties ?? {})) {
        params.push({
          name,
          in: 'query',
          required: (js.required ?? []).includes(name),
          schema: schema as { type: string },
        });
      }
    }
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      tags: [op.tag],
      ...(params.length ? { parameters: params } : {}),
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } }
        : {}),
      ...(op.auth === 'none' ? { security: [] } : {}),
      responses: {
        '200': { description: 'OK' },
        '400': {
          description: '请求参数错误',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '401': { description: '未登录' },
        '403': { description: '无权限' },
        '409': { description: '状态冲突' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '城管热线受理服务 API',
      version: '0.1.0',
      description: '市民诉求受理、分类、派遣、回访全流程接口。错误统一为 {error:{code,message}}。',
    },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'cg_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}

const docsPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>API 文档</title>
<style>body{font-family:system-ui,"WenQuanYi Micro Hei",sans-serif;margin:2rem;max-width:1100px}h2{border-bottom:1px solid #ddd}
.op{margin:.6rem 0;padding:.5rem .8rem;border:1px solid #e5e5e5;border-radius:6px}.m{display:inline-block;width:4.5rem;font-weight:bold;text-transform:uppercase}
.get{color:#1677ff}.post{color:#389e0d}.put{color:#d48806}.delete{color:#cf1322}pre{background:#f7f7f7;padding:.5rem;overflow:auto;font-size:12px}</style>
<h1>城管热线受理服务 API</h1><p>机器可读文档：<a href="/openapi.json">/openapi.json</a>（OpenAPI 3.1，由 zod 模式生成）</p><div id="ops">加载中…</div>
<script src="/docs.js"></script></html>`;

/** The page's script is served as a file: the Content-Security-Policy allows no inline script. */
const docsScript = `fetch('/openapi.json').then(r=>r.json()).then(doc=>{const tags={};for(const [p,ms] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ms))(tags[op.tags[0]]??=[]).push([m,p,op]);
const el=document.getElementById('ops');el.textContent='';for(const [t,list] of Object.entries(tags)){const h=document.createElement('h2');h.textContent=t;el.append(h);
for(const [m,p,op] of list){const d=document.createElement('details');d.className='op';const s=document.createElement('summary');s.innerHTML='<span class="m '+m+'"></span><code></code> ';
s.querySelector('.m').textContent=m;s.querySelector('code').textContent=p;s.append(op.summary);d.append(s);const pre=document.createElement('pre');pre.textContent=JSON.stringify({parameters:op.parameters,requestBody:op.requestBody},null,2);d.append(pre);el.append(d);}}});`;

export function openApiRoutes(_services: Services) {
  const router = new Router();
  router.get('/openapi.json', (ctx) => {
    ctx.body = buildOpenApi();
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = docsPage;
  });
  router.get('/docs.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = docsScript;
  });
  return router;
}
