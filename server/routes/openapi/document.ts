import type Koa from 'koa';
import { z, type ZodType } from 'zod';
import type { Schemas } from '../../middleware/validate.js';
import { isMedia, type Declaration, type Media } from './declare.js';
import { declarations } from './declarations.js';
import { errorBody } from './shapes.js';
import { caseDelivery } from '../webhooks/responses.js';

/** A JSON Schema as the document holds it. */
export type JsonSchema = { [key: string]: unknown };

/** One mounted route: its method, its path as the router holds it, and the schemas its validate() recorded. */
export interface MountedRoute {
  method: string;
  path: string;
  schemas: Schemas;
}

interface LayerLike {
  path: unknown;
  methods: unknown;
  stack: unknown;
}
interface RouterLike {
  stack: LayerLike[];
}

const routerOf = (mw: unknown): RouterLike | undefined => {
  const router = (mw as { router?: RouterLike }).router;
  return router && Array.isArray(router.stack) ? router : undefined;
};

/** The schemas a layer's validate() middleware recorded, if it has one. */
function schemasOf(stack: unknown): Schemas {
  for (const fn of Array.isArray(stack) ? stack : []) {
    const schemas = (fn as { schemas?: Schemas }).schemas;
    if (schemas && typeof schemas === 'object') return schemas;
  }
  return {};
}

/** Every route the app mounts, from the routers' own layers (HEAD is GET's shadow; use() layers have no method). */
export function mountedRoutes(app: Koa): MountedRoute[] {
  const seen = new Set<string>();
  const out: MountedRoute[] = [];
  for (const mw of app.middleware) {
    for (const layer of routerOf(mw)?.stack ?? []) {
      if (typeof layer.path !== 'string' || !Array.isArray(layer.methods)) continue;
      for (const method of layer.methods as string[]) {
        const key = `${method} ${layer.path}`;
        if (method === 'HEAD' || seen.has(key)) continue;
        seen.add(key);
        out.push({ method, path: layer.path, schemas: schemasOf(layer.stack) });
      }
    }
  }
  return out;
}

/** `/api/cases/:id` → `/api/cases/{id}`, `/requests.:format` → `/requests.{format}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * z.preprocess(fn, schema) takes anything in (its input side is a function); what a client sends is
 * what the inner schema reads, so that is what the document shows.
 */
function preprocessed(schema: ZodType): ZodType {
  const def = schema._zod.def as { type: string; in?: ZodType; out?: ZodType };
  return def.type === 'pipe' && def.in?._zod.def.type === 'transform' && def.out ? def.out : schema;
}

const REF_PREFIX = '#/components/schemas/';

/**
 * zod 4's own converter (z.toJSONSchema), with shapes that carry an id (`.meta({ id })`) hoisted
 * into components and referred to by $ref, so the generated client types keep their names.
 */
function converter() {
  const components: Record<string, JsonSchema> = {};
  const hoist = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(hoist);
    if (!node || typeof node !== 'object') return node;
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$defs' || k === '$schema') continue;
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, REF_PREFIX) : hoist(v);
    }
    return out;
  };
  const convert = (schema: ZodType, io: 'input' | 'output'): JsonSchema => {
    const js = z.toJSONSchema(io === 'input' ? preprocessed(schema) : schema, {
      io,
      unrepresentable: 'any',
      reused: 'inline',
      target: 'draft-2020-12',
    });
    for (const [id, def] of Object.entries((js.$defs ?? {}) as Record<string, unknown>)) {
      components[id] ??= hoist(def) as JsonSchema;
    }
    return hoist(js) as JsonSchema;
  };
  return { components, convert };
}

const authSecurity = {
  none: [],
  staff: [{ session: [] }, { bearer: [] }],
  citizen: [{ bearer: [] }],
  signed: [],
} as const;

const errorStatuses: Record<number, string> = {
  400: '请求参数错误',
  401: '未登录',
  403: '无权限',
  404: '不存在',
  409: '状态冲突',
  413: '请求体过大',
  415: '不支持的内容类型',
  422: '无法处理',
  429: '请求过于频繁',
  503: '暂不可用',
};

/** The tag of an operation: the segment after /api (or the first segment), so the docs page groups it. */
function tagOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const name = parts[0] === 'api' ? (parts[1] ?? 'api') : (parts[0] ?? 'root');
  return name.replace(/[.:].*$/, '') || 'root';
}

function operation(
  route: MountedRoute,
  decl: Declaration | undefined,
  convert: ReturnType<typeof converter>['convert'],
) {
  const parameters: JsonSchema[] = [];
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const paramSchema = route.schemas.params ? convert(route.schemas.params, 'input') : undefined;
  const paramProps = (paramSchema?.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of names) {
    parameters.push({ name, in: 'path', required: true, schema: paramProps[name] ?? { type: 'string' } });
  }
  const query = route.schemas.query ?? decl?.query;
  if (query) {
    const js = convert(query, 'input');
    const required = (js.required ?? []) as string[];
    for (const [name, schema] of Object.entries((js.properties ?? {}) as Record<string, JsonSchema>)) {
      parameters.push({ name, in: 'query', required: required.includes(name), schema });
    }
  }
  const content = (m: Media, io: 'input' | 'output') => ({
    [m.type]: m.schema ? { schema: convert(m.schema, io) } : {},
  });
  let requestBody: JsonSchema | undefined;
  if (decl?.body) {
    requestBody = { required: true, content: content(decl.body, 'input') };
  } else if (route.schemas.body) {
    requestBody = { required: true, content: { 'application/json': { schema: convert(route.schemas.body, 'input') } } };
  }
  const responses: JsonSchema = {};
  if (decl) {
    const ok = decl.ok;
    const also = Object.fromEntries((decl.alsoAs ?? []).map((type) => [type, {}]));
    responses[String(decl.status ?? 200)] =
      ok === null
        ? { description: '无内容' }
        : isMedia(ok)
          ? { description: ok.description ?? 'OK', content: content(ok, 'output') }
          : {
              description: 'OK',
              content: { 'application/json': { schema: convert(ok, 'output') }, ...also },
            };
  } else {
    responses.default = { description: '未声明（server/routes/<folder>/responses.ts 缺少这一条）' };
  }
  const auth = decl?.auth ?? 'staff';
  const errors = new Set([
    400,
    404,
    ...(auth === 'staff' || auth === 'citizen' ? [401, 403] : []),
    ...(decl?.errors ?? []),
  ]);
  const error = decl?.errorSchema ? convert(decl.errorSchema, 'output') : { $ref: `${REF_PREFIX}Error` };
  for (const status of [...errors].sort()) {
    responses[String(status)] = {
      description: errorStatuses[status] ?? '错误',
      content: { 'application/json': { schema: error } },
    };
  }
  return {
    operationId: `${route.method.toLowerCase()} ${route.path}`,
    summary: decl?.summary ?? `${route.method} ${route.path}`,
    tags: decl ? [tagOf(route.path)] : [tagOf(route.path), 'undeclared'],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    security: authSecurity[auth],
    responses,
  };
}

/** The operations the document holds no declaration for. */
export const undeclared = (app: Koa) =>
  mountedRoutes(app)
    .map((r) => `${r.method} ${r.path}`)
    .filter((key) => !declarations[key]);

/** Declarations no mounted route answers to (a renamed or removed route). */
export const orphans = (app: Koa) => {
  const mounted = new Set(mountedRoutes(app).map((r) => `${r.method} ${r.path}`));
  return Object.keys(declarations).filter((key) => !mounted.has(key));
};

/** The OpenAPI 3.1 document of every route the app mounts. */
export function buildOpenApi(app: Koa) {
  const { components, convert } = converter();
  const paths: Record<string, Record<string, unknown>> = {};
  const routes = mountedRoutes(app).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route, declarations[`${route.method} ${route.path}`], convert);
  }
  convert(errorBody, 'output');
  // What we send out: each change of a case to its webhook department's system, signed.
  const webhooks = {
    caseChanged: {
      post: {
        summary: '案件变更推送到部门系统（HMAC 签名；非 2xx 即按退避重试，失败后进入推送失败列表）',
        parameters: [
          {
            name: 'x-chengguan-signature',
            in: 'header',
            required: true,
            description: 't=<unix 秒>,v1=<HMAC-SHA256(部门密钥, "t.请求体") 的十六进制>',
            schema: { type: 'string' },
          },
          { name: 'idempotency-key', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: convert(caseDelivery, 'output') } } },
        responses: { '200': { description: '任何 2xx 表示已收到' } },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: '城管热线受理服务 API',
      version: '0.1.0',
      description:
        '由挂载的路由生成：请求取自路由校验用的 zod 模式，应答取自各路由目录的 responses.ts。错误统一为 {error:{code,message}}。',
    },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'cg_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    },
    paths,
    webhooks,
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApi>;
