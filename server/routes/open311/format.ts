import type { Context } from 'koa';
import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false });

/** GeoReport answers in JSON or XML according to the path's extension. */
export function respond(ctx: Context, format: 'json' | 'xml', root: string, item: string, list: unknown[]) {
  if (format === 'json') {
    ctx.body = list;
    return;
  }
  ctx.type = 'application/xml; charset=utf-8';
  const clean = list.map((o) => Object.fromEntries(Object.entries(o as object).map(([k, v]) => [k, v ?? ''])));
  ctx.body = `<?xml version="1.0" encoding="utf-8"?>${builder.build({ [root]: { [item]: clean } })}`;
}

export function formatOf(param: string): { id: string; format: 'json' | 'xml' } | null {
  const m = /^(.+)\.(json|xml)$/.exec(param);
  return m ? { id: m[1], format: m[2] as 'json' | 'xml' } : null;
}
