import type { RouterMiddleware } from '@koa/router';
import type { Context, DefaultState, Next } from 'koa';
import { z, type ZodType } from 'zod';
import { AppError, invalidRequest } from '../errors.js';

/** The largest value of an int4 column (ids, versions): a bigger number is a 400, not a database error. */
export const INT4_MAX = 2_147_483_647;

/** Dates PostgreSQL and our calendar handle (no year 0, nothing absurd). */
const sane = (d: Date) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100;

/** YYYY-MM-DD, a real day between 2000 and 2100. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return sane(d) && d.toISOString().startsWith(s);
  }, '不是有效日期（2000–2100 年）');

/** An ISO 8601 date-time with an offset, between 2000 and 2100. */
export const isoDateTime = z
  .string()
  .datetime({ offset: true })
  .refine((s) => sane(new Date(s)), '日期须在 2000–2100 年之间');

/** Longest idempotency key we keep (headers and bodies alike). */
export const IDEMPOTENCY_KEY_MAX = 200;
const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Where the first string PostgreSQL cannot store is (a NUL, a lone UTF-16 surrogate), or an
 * input nested deeper than any of our schemas; null when the value is clean.
 */
export function badInputIn(value: unknown, where = 'body', depth = 0): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') || LONE_SURROGATE.test(value) ? `${where}: 含有不允许的字符` : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_DEPTH) return `${where}: 嵌套层次过深`;
  for (const [k, v] of Object.entries(value)) {
    // A key like toString or __proto__ turns String(x) or `${x}` on the value into a TypeError.
    if (k in Object.prototype) return `${where}.${k}: 不允许的字段名`;
    const bad = badInputIn(k, where, depth + 1) ?? badInputIn(v, `${where}.${k}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/**
 * One gate for every route, in front of the routers: the path must decode, and no path, query,
 * body or idempotency header may carry what the database would refuse with an error.
 */
export function guardInput() {
  return async (ctx: Context, next: Next) => {
    let path: string;
    try {
      path = decodeURIComponent(ctx.path);
    } catch {
      throw new AppError(400, 'bad_encoding', '请求路径的百分号编码无效');
    }
    const key = ctx.get('idempotency-key');
    if (key.length > IDEMPOTENCY_KEY_MAX) throw invalidRequest(`Idempotency-Key: 最多 ${IDEMPOTENCY_KEY_MAX} 个字符`);
    const bad =
      badInputIn(path, 'path') ??
      badInputIn(key, 'Idempotency-Key') ??
      badInputIn(ctx.query, 'query') ??
      badInputIn(ctx.request.body, 'body');
    if (bad) throw invalidRequest(bad);
    await next();
  };
}

export interface Schemas {
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
}

/** What a route's handler reads: each part parsed by the schema the route declared, typed from it. */
export interface InputOf<S extends Schemas> {
  body: S['body'] extends ZodType ? z.output<S['body']> : undefined;
  query: S['query'] extends ZodType ? z.output<S['query']> : undefined;
  params: S['params'] extends ZodType ? z.output<S['params']> : undefined;
}

/** The context a validated handler sees: @koa/router infers it from validate()'s return type. */
export interface InputContext<S extends Schemas> {
  input: InputOf<S>;
}

/** A validate() middleware remembers its schemas, so the OpenAPI document is built from them. */
export type Validator<S extends Schemas> = RouterMiddleware<DefaultState, Context & InputContext<S>> & { schemas: S };

export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.join('.') : 'body';
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return `${where}: ${missing ? 'required' : issue.message}`;
}

export function parseOrThrow<S extends ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(describeIssue(result.error.issues[0]));
  return result.data;
}

function parseInput<S extends Schemas>(schemas: S, ctx: Context & { params?: unknown }): InputOf<S> {
  const parse = (schema: ZodType | undefined, value: unknown) => (schema ? parseOrThrow(schema, value) : undefined);
  const params = parse(schemas.params, ctx.params);
  const query = parse(schemas.query, ctx.query);
  const body = parse(schemas.body, ctx.request.body ?? {});
  // The parts were parsed by exactly these schemas; TypeScript cannot follow a conditional type through a generic.
  return { params, query, body } as InputOf<S>;
}

/**
 * Parses the request by the route's schemas (the first issue is a 400) and hands the handler a
 * typed ctx.input (the only place handlers read request data from).
 */
export function validate<S extends Schemas>(schemas: S): Validator<S> {
  const middleware: RouterMiddleware<DefaultState, Context & InputContext<S>> = async (ctx, next) => {
    const input = parseInput(schemas, ctx);
    ctx.input = input;
    await next();
  };
  return Object.assign(middleware, { schemas });
}
