import type { Context } from 'koa';
import { stripXmlIllegal } from '../../lib/xmlText.js';

export type Format = 'json' | 'xml';

/**
 * GeoReport v2 documents are plain trees: a root element, repeated item elements, fields as child
 * elements, lists as a wrapper with repeated children (discovery's formats/format, a service
 * definition's attributes/attribute). `Repeat` marks such a list so XML repeats its child name.
 */
export class Repeat {
  constructor(
    readonly child: string,
    readonly items: unknown[],
  ) {}
}

const escape = (s: string) =>
  stripXmlIllegal(s).replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );

function element(name: string, value: unknown): string {
  if (value == null || value === '') return `<${name}></${name}>`;
  if (value instanceof Repeat) return `<${name}>${value.items.map((v) => element(value.child, v)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as object)
      .map(([k, v]) => element(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escape(String(value))}</${name}>`;
}

/** JSON keeps Repeat as a plain array; every string loses what XML 1.0 cannot carry, in JSON too. */
function toJson(value: unknown): unknown {
  if (value instanceof Repeat) return value.items.map(toJson);
  if (typeof value === 'string') return stripXmlIllegal(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

export function xmlDocument(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, body)}`;
}

/** A document whose JSON form is an object (discovery, a service definition). */
export function respondObject(ctx: Context, format: Format, root: string, doc: Record<string, unknown>) {
  if (format === 'json') {
    ctx.body = toJson(doc);
    return;
  }
  ctx.type = 'text/xml; charset=utf-8';
  ctx.body = xmlDocument(root, doc);
}

/** A document whose JSON form is an array of items and whose XML form is root > item*. */
export function respond(ctx: Context, format: Format, root: string, item: string, list: unknown[]) {
  if (format === 'json') {
    ctx.body = toJson(list);
    return;
  }
  ctx.type = 'text/xml; charset=utf-8';
  ctx.body = xmlDocument(root, new Repeat(item, list));
}

/** `12.json` → {id: '12', format: 'json'}; anything else is not a GeoReport resource. */
export function formatOf(param: string): { id: string; format: Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(param);
  return m ? { id: m[1], format: m[2] as Format } : null;
}

/** The format a path asks for; JSON when it names neither (the spec's XML is the default only by extension). */
export const formatOfPath = (p: string): Format => (/\.xml$/i.test(p) ? 'xml' : 'json');
