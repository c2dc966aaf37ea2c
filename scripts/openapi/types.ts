/**
 * TypeScript types from the OpenAPI document: one type per component schema, and per operation its
 * path parameters, query, body and answer. Only the JSON Schema our document uses (what zod's
 * toJSONSchema writes) is understood; anything else fails the generation instead of becoming `unknown`.
 */

type Schema = { [key: string]: unknown };
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface Document {
  components: { schemas: Record<string, Schema> };
  paths: Record<string, Record<string, Operation>>;
}

const REF = '#/components/schemas/';
const IDENT = /^[A-Za-z_$][\w$]*$/;
const key = (k: string) => (IDENT.test(k) ? k : JSON.stringify(k));
const indent = (s: string) => s.replace(/\n/g, '\n  ');

/** Keywords that only constrain values (lengths, patterns, formats) and do not change the type. */
const ignored = new Set([
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'uniqueItems',
  'default',
  'description',
  'propertyNames',
  'id',
]);

export function typeOf(s: Schema | boolean | undefined, where: string): string {
  if (s === undefined || s === true) return 'unknown';
  if (s === false) return 'never';
  if (typeof s.$ref === 'string') {
    if (!s.$ref.startsWith(REF)) throw new Error(`${where}: $ref ${s.$ref} outside components`);
    return s.$ref.slice(REF.length);
  }
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  for (const k of ['anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (Array.isArray(list)) return list.map((x: Schema, i) => wrap(typeOf(x, `${where}.${k}[${i}]`))).join(' | ');
  }
  if (Array.isArray(s.allOf)) return s.allOf.map((x: Schema, i) => wrap(typeOf(x, `${where}.allOf[${i}]`))).join(' & ');
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (!types.length) {
    const known = Object.keys(s).filter((k) => !ignored.has(k));
    if (known.length) throw new Error(`${where}: cannot type ${JSON.stringify(s)}`);
    return 'unknown';
  }
  return types.map((t) => wrap(single(t, s, where))).join(' | ');
}

const wrap = (t: string) => (/^[\w$."'[\]<>]+$/.test(t) || t.startsWith('{') || t.endsWith('[]') ? t : `(${t})`);

function single(type: string, s: Schema, where: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (Array.isArray(s.prefixItems)) {
        return `[${s.prefixItems.map((x: Schema, i) => typeOf(x, `${where}[${i}]`)).join(', ')}]`;
      }
      return `${wrap(typeOf(s.items as Schema | undefined, `${where}[]`))}[]`;
    }
    case 'object':
      return objectType(s, where);
    default:
      throw new Error(`${where}: unknown type ${type}`);
  }
}

function objectType(s: Schema, where: string): string {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required ?? []) as string[]);
  const lines = Object.entries(props).map(
    ([k, v]) => `${key(k)}${required.has(k) ? '' : '?'}: ${indent(typeOf(v, `${where}.${k}`))};`,
  );
  const extra = s.additionalProperties;
  const open = extra === true || (typeof extra === 'object' && extra !== null && !Object.keys(extra).length);
  if (open) {
    // A loose object: the presenter passes more fields through than the declaration names.
    if (!lines.length) return 'Record<string, unknown>';
    lines.push('[key: string]: unknown;');
  } else if (extra && typeof extra === 'object') {
    const value = typeOf(extra as Schema, `${where}.*`);
    if (lines.length) throw new Error(`${where}: named properties beside typed additional ones`);
    return `Record<string, ${value}>`;
  }
  return lines.length ? `{\n  ${lines.map(indent).join('\n  ')}\n}` : 'Record<string, never>';
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operationType(path: string, op: Operation, where: string): string {
  const part = (place: string) => {
    const ps = (op.parameters ?? []).filter((p) => p.in === place);
    if (!ps.length) return 'never';
    const lines = ps.map((p) => `${key(p.name)}${p.required ? '' : '?'}: ${typeOf(p.schema, `${where} ${p.name}`)};`);
    return `{ ${lines.join(' ')} }`;
  };
  const json = (content: Record<string, { schema?: Schema }> | undefined, what: string) => {
    if (!content) return 'never';
    const [type, media] = Object.entries(content)[0] ?? [];
    if (!type) return 'never';
    if (!media?.schema) return type === 'application/json' ? 'unknown' : 'string';
    return typeOf(media.schema, `${where} ${what}`);
  };
  const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
  const answer = ok.length
    ? [...new Set(ok.map(([status, r]) => (status === '204' ? 'null' : json(r.content, status))))].join(' | ')
    : 'never';
  return [
    `{`,
    `  params: ${indent(part('path'))};`,
    `  query: ${indent(part('query'))};`,
    `  body: ${indent(json(op.requestBody?.content, 'body'))};`,
    `  response: ${indent(answer)};`,
    `}`,
  ].join('\n');
}

/** The generated.ts both UIs compile against. */
export function generateTypes(doc: Document): string {
  const out = [
    '// Generated by `npm run openapi` from docs/openapi.json (the document the server builds from its routes).',
    "// Do not edit: change the route's schema or its responses.ts, then regenerate.",
    '',
  ];
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    out.push(`export type ${name} = ${typeOf(schema, name)};`, '');
  }
  out.push('/** Every operation, keyed "METHOD /path" as in the document. */', 'export interface Operations {');
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = methods[method];
      if (!op) continue;
      const id = `${method.toUpperCase()} ${path}`;
      out.push(`  ${JSON.stringify(id)}: ${indent(indent(operationType(path, op, id)))};`);
    }
  }
  out.push(
    '}',
    '',
    'export type OperationId = keyof Operations;',
    '/** What an operation answers on success (the JSON body; null for 204). */',
    "export type ResponseOf<K extends OperationId> = Operations[K]['response'];",
    "export type BodyOf<K extends OperationId> = Operations[K]['body'];",
    "export type QueryOf<K extends OperationId> = Operations[K]['query'];",
    "export type ParamsOf<K extends OperationId> = Operations[K]['params'];",
    '',
  );
  return out.join('\n');
}
