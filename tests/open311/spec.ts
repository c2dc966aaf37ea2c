/**
 * GeoReport v2 as written on wiki.open311.org (and FixMyStreet's servicerequestupdates page),
 * restated by us: JSON Schemas in ./schemas, and each XML document's element tree below. The
 * tests check answers against these, not against our own output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// Both packages are CommonJS with a default export; under NodeNext the class sits on .default.
const Ajv = (AjvModule as any).default ?? AjvModule;
const addFormats = (formatsModule as any).default ?? formatsModule;
const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
addFormats(ajv);
const dir = path.join(import.meta.dirname, 'schemas');
for (const f of readdirSync(dir)) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));

/** Throws with ajv's account of every mismatch; true otherwise. */
export function conforms(schema: string, data: unknown): true {
  if (!ajv.validate(schema, data)) throw new Error(`${schema}: ${ajv.errorsText()}`);
  return true;
}

/** An element with exactly these children in this order, or (many) any number of one kind. */
export type Shape = { name: string; children?: Shape[]; many?: Shape };
const el = (name: string, children?: (Shape | string)[]): Shape => ({
  name,
  children: children?.map((c) => (typeof c === 'string' ? { name: c } : c)),
});
const many = (name: string, item: Shape): Shape => ({ name, many: item });

const requestFields = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

export const xmlShapes = {
  discovery: el('discovery', [
    'changeset',
    'contact',
    'key_service',
    many('endpoints', el('endpoint', ['specification', 'url', 'changeset', 'type', many('formats', el('format'))])),
  ]),
  services: many(
    'services',
    el('service', ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']),
  ),
  serviceDefinition: el('service_definition', ['service_code', many('attributes', el('attribute'))]),
  requests: many('service_requests', el('request', requestFields)),
  posted: many('service_requests', el('request', ['service_request_id', 'service_notice', 'account_id'])),
  token: many('service_requests', el('request', ['service_request_id', 'token'])),
  errors: many('errors', el('error', ['code', 'description'])),
  updates: many(
    'service_request_updates',
    el('request_update', ['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url']),
  ),
} satisfies Record<string, Shape>;

type Node = { name: string; children: Node[]; text: string };
const orderedParser = new XMLParser({ preserveOrder: true, ignoreDeclaration: true, parseTagValue: false });

function toNodes(list: any[]): Node[] {
  return list
    .filter((n) => !('#text' in n))
    .map((n) => {
      const name = Object.keys(n).find((k) => k !== ':@')!;
      const kids = n[name] as any[];
      return {
        name,
        children: toNodes(kids),
        text: kids
          .filter((k) => '#text' in k)
          .map((k) => String(k['#text']))
          .join(''),
      };
    });
}

function compare(node: Node, shape: Shape, at: string): void {
  const where = `${at}/${node.name}`;
  if (node.name !== shape.name) throw new Error(`${at}: <${node.name}> where the spec has <${shape.name}>`);
  if (shape.many) {
    for (const c of node.children) compare(c, shape.many, where);
    return;
  }
  if (!shape.children) return;
  const names = node.children.map((c) => c.name);
  const expected = shape.children.map((c) => c.name);
  if (names.join(',') !== expected.join(','))
    throw new Error(`${where}: children [${names.join(', ')}] where the spec has [${expected.join(', ')}]`);
  node.children.forEach((c, i) => compare(c, shape.children![i], where));
}

/** Well-formed XML 1.0 with the XML declaration, whose element tree is the spec's. Returns the root. */
export function xmlConforms(xml: string, shape: Shape): Node {
  if (!/^<\?xml version="1\.0" encoding="utf-8"\?>/i.test(xml)) throw new Error('no XML declaration with UTF-8');
  // The parser below is lenient; XML 1.0 is not (https://www.w3.org/TR/xml/#charsets).
  const bad = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(xml);
  if (bad) throw new Error(`character U+${bad[0].codePointAt(0)!.toString(16)} is not allowed in XML 1.0`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid.err)}`);
  const [root] = toNodes(orderedParser.parse(xml));
  compare(root, shape, '');
  return root;
}

/** A leaf's text by path from the root, e.g. text(root, 'request', 'status'). */
export function texts(root: Node, ...names: string[]): string[] {
  let nodes = [root];
  for (const n of names) nodes = nodes.flatMap((x) => x.children.filter((c) => c.name === n));
  return nodes.map((n) => n.text);
}
