import type { Context, Next } from 'koa';
import { z, type ZodType } from 'zod';
import { invalidRequest } from '../errors.js';

export interface Schemas {
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
}

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

/** Parsed input lands on ctx.state.body / query / params; handlers never see raw input. */
export function validate(schemas: Schemas) {
  return async (ctx: Context, next: Next) => {
    if (schemas.params) ctx.state.params = parseOrThrow(schemas.params, ctx.params);
    if (schemas.query) ctx.state.query = parseOrThrow(schemas.query, ctx.query);
    if (schemas.body) ctx.state.body = parseOrThrow(schemas.body, (ctx.request as any).body ?? {});
    await next();
  };
}
