import pg from 'pg';
import {
  and,
  eq,
  getTableColumns,
  getTableName,
  is,
  Param,
  Placeholder,
  SQL,
  sql,
  type SQLWrapper,
  type Table,
} from 'drizzle-orm';
import { PgDialect, type PgInsertValue, type PgTable, type PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.js';
import { readColumns } from './rows.js';

/**
 * Statements as text and values, for the intake's hot path: drizzle builds and renders each of its
 * queries anew on every call (walking every chunk, testing each against a dozen classes), which was a
 * quarter of the CPU of an intake. Here the text of a statement of a given shape is built once and
 * only its values change; it runs on the transaction's own connection, as a named (server-side
 * prepared) statement on PostgreSQL.
 */
export interface Statement {
  text: string;
  values: unknown[];
}

/** Renders as the database handle would (no casing is configured on ours). */
const dialect = new PgDialect();

export function render(statement: SQLWrapper): Statement {
  const q = dialect.sqlToQuery(statement.getSQL());
  return { text: q.sql, values: q.params };
}

interface InsertTemplate {
  text: string;
  /** Per parameter, in order: the key of the values it takes and the column that encodes it. */
  params: Array<{ key: string; encoder: Param['encoder'] }>;
}

/** Shapes seen are few (one per table and set of columns given); the bound is a guard, not a cache policy. */
const MAX_TEMPLATES = 500;
const insertTemplates = new Map<string, InsertTemplate | null>();

/**
 * `insert into table (…) values (…) [returning *]` for one row, its text built on the first call for
 * the table and the set of columns given, later calls only encoding the values. The same text and
 * values drizzle's own insert would send; a value that is itself SQL, or a column whose default is
 * computed in JavaScript (a fixed value would be baked into the text), is built by drizzle each time.
 */
export function insertStatement<T extends PgTable>(
  tx: DbOrTx,
  table: T,
  values: PgInsertValue<T>,
  returning = false,
  wrap?: Readonly<Partial<Record<keyof T['$inferInsert'] & string, string>>>,
): Statement {
  const given = values as Record<string, unknown>;
  const keys = Object.keys(given).filter((k) => given[k] !== undefined);
  // A value written as SQL has its own text: no template for this call.
  let template: InsertTemplate | null | undefined = keys.some((k) => given[k] instanceof SQL) ? null : undefined;
  if (template === undefined) {
    const wraps = wrap ? Object.entries(wrap).filter((e): e is [string, string] => e[1] !== undefined) : [];
    const shape = `${getTableName(table)}:${returning ? 'r' : ''}:${keys.join(',')}${wraps.map(([k, w]) => `:${k}=${w}`).join('')}`;
    template = insertTemplates.get(shape);
    if (template === undefined) {
      template = buildTemplate(tx, table, keys, returning, wraps);
      if (insertTemplates.size >= MAX_TEMPLATES) insertTemplates.clear();
      insertTemplates.set(shape, template);
    }
  }
  if (!template) {
    if (wrap && Object.values(wrap).some((w) => w !== undefined)) {
      throw new Error(`insertStatement: a wrapped value needs a template (${getTableName(table)})`);
    }
    const insert = tx.insert(table).values(values);
    return render(returning ? insert.returning(readColumns(table)) : insert);
  }
  return {
    text: template.text,
    values: template.params.map(({ key, encoder }) => {
      const value = given[key];
      return value === null ? null : encoder.mapToDriverValue(value);
    }),
  };
}

/**
 * `insert into table (…) values (…), (…)` for rows given with the same columns: the one-row template's
 * tuple repeated with its parameters renumbered, so the rows are inserted (and take their serial ids)
 * in the order given. Rows of different shapes are built by drizzle.
 */
export function insertRowsStatement<T extends PgTable>(tx: DbOrTx, table: T, rows: PgInsertValue<T>[]): Statement {
  const statements = rows.map((row) => insertStatement(tx, table, row));
  const [first] = statements;
  const at = first?.text.lastIndexOf(' values (') ?? -1;
  if (at < 0 || statements.some((st) => st.text !== first.text) || / returning /i.test(first.text.slice(at))) {
    return render(tx.insert(table).values(rows));
  }
  const head = first.text.slice(0, at + ' values '.length);
  const tuple = first.text.slice(at + ' values '.length);
  const k = first.values.length;
  const tuples = statements.map((_, r) =>
    r ? tuple.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + r * k}`) : tuple,
  );
  return { text: head + tuples.join(', '), values: statements.flatMap((st) => st.values) };
}

/**
 * `wraps`: a column's value is an expression around its parameter (`?` in the text stands for it), e.g.
 * the case number made of the day given and a counter CTE of the same statement.
 */
function buildTemplate(
  tx: DbOrTx,
  table: Table,
  keys: string[],
  returning: boolean,
  wraps: ReadonlyArray<[string, string]> = [],
): InsertTemplate | null {
  const placeholders = Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)]));
  const insert = tx.insert(table).values(placeholders as never);
  const q = dialect.sqlToQuery((returning ? insert.returning(readColumns(table)) : insert).getSQL());
  const params: InsertTemplate['params'] = [];
  for (const p of q.params) {
    // Anything but a placeholder is a value drizzle computed (a JavaScript default): not reusable.
    if (!is(p, Param) || !is(p.value, Placeholder)) return null;
    params.push({ key: p.value.name, encoder: p.encoder });
  }
  let text = q.sql;
  for (const [key, expression] of wraps) {
    const at = params.findIndex((p) => p.key === key);
    if (at < 0) throw new Error(`insertStatement: no value for the wrapped column ${key}`);
    const param = `$${at + 1}`;
    text = text.replace(new RegExp(`\\$${at + 1}(?!\\d)`), () => expression.replaceAll('?', param));
  }
  return { text, params };
}

const updateTemplates = new Map<string, InsertTemplate | null>();

/**
 * `update table set … where a = … and b = … returning *`, its text built on the first call for the
 * table, the columns set and the columns matched; later calls only encode the values. A value set as
 * SQL (`version + 1`) is part of the shape by its text and must have no parameters of its own, else
 * drizzle builds the statement each time, as it does for a column drizzle fills on update itself.
 */
export function updateStatement<T extends PgTable>(
  tx: DbOrTx,
  table: T,
  set: PgUpdateSetSource<T>,
  where: Record<string, unknown>,
): Statement {
  const given = set as Record<string, unknown>;
  const keys = Object.keys(given).filter((k) => given[k] !== undefined);
  const whereKeys = Object.keys(where);
  let shape = `${getTableName(table)}:${whereKeys.join(',')}:`;
  for (const k of keys) {
    const v = given[k];
    if (!(v instanceof SQL)) {
      shape += `${k},`;
      continue;
    }
    const q = dialect.sqlToQuery(v);
    if (q.params.length) {
      shape = '';
      break;
    }
    shape += `${k}=${q.sql},`;
  }
  let template = shape ? updateTemplates.get(shape) : null;
  if (template === undefined) {
    template = buildUpdateTemplate(tx, table, given, keys, whereKeys);
    if (updateTemplates.size >= MAX_TEMPLATES) updateTemplates.clear();
    updateTemplates.set(shape, template);
  }
  const columns = getTableColumns(table);
  if (!template) {
    return render(
      tx
        .update(table)
        .set(set)
        .where(and(...whereKeys.map((k) => eq(columns[k]!, where[k]))))
        .returning(readColumns(table)),
    );
  }
  return {
    text: template.text,
    values: template.params.map(({ key, encoder }) => {
      const value = key.startsWith('w:') ? where[key.slice(2)] : given[key.slice(2)];
      return value === null ? null : encoder.mapToDriverValue(value);
    }),
  };
}

function buildUpdateTemplate(
  tx: DbOrTx,
  table: PgTable,
  given: Record<string, unknown>,
  keys: string[],
  whereKeys: string[],
): InsertTemplate | null {
  const columns = getTableColumns(table);
  const placeholders = Object.fromEntries(
    keys.map((k) => [k, given[k] instanceof SQL ? given[k] : sql.placeholder(`s:${k}`)]),
  );
  const update = tx
    .update(table)
    .set(placeholders as never)
    .where(and(...whereKeys.map((k) => eq(columns[k]!, sql.placeholder(`w:${k}`)))))
    .returning(readColumns(table));
  const q = dialect.sqlToQuery(update.getSQL());
  const params: InsertTemplate['params'] = [];
  for (const p of q.params) {
    // A placeholder of the set is wrapped with its column; one of the where clause is bare.
    const placeholder = is(p, Placeholder) ? p : is(p, Param) && is(p.value, Placeholder) ? p.value : null;
    if (!placeholder) return null;
    const key = placeholder.name as string;
    const encoder = is(p, Param) ? p.encoder : columns[key.slice(2)];
    if (!encoder) return null;
    params.push({ key, encoder });
  }
  return { text: q.sql, params };
}

/** The connection a drizzle handle sends on: the transaction's client, or the pool. */
interface Sender {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

function senderOf(tx: DbOrTx): Sender {
  // drizzle keeps its driver client on the session; not part of its typed surface.
  return (tx as unknown as { session: { client: Sender } }).session.client;
}

/** Names given to statement texts on PostgreSQL (each connection parses a named statement once). */
const names = new Map<string, string>();
const MAX_NAMES = 200;

/**
 * The name a statement text runs under on PostgreSQL (parsed, and once PostgreSQL settles on a generic
 * plan planned, once per connection), or undefined past MAX_NAMES distinct texts (unnamed: parsed and
 * planned on every run).
 */
export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) names.set(text, (name = `cg_${names.size + 1}`));
  return name;
}

/** A statement as node-postgres's query config, under its name (`statementName`). */
export function namedQuery(text: string, values: unknown[]): pg.QueryConfig {
  return { name: statementName(text), text, values };
}

/**
 * Runs a statement on the handle's connection and returns its rows (types as the driver parses them:
 * json as objects, integers as numbers). On PostgreSQL a text seen before runs as a named statement,
 * parsed once per connection; past MAX_NAMES distinct texts the rest run unnamed.
 */
export async function runStatement<T = Record<string, unknown>>(tx: DbOrTx, statement: Statement): Promise<T[]> {
  const client = senderOf(tx);
  if (client instanceof pg.Client || client instanceof pg.Pool) {
    const result = await (client as pg.ClientBase).query<T & pg.QueryResultRow>(
      namedQuery(statement.text, statement.values),
    );
    return result.rows;
  }
  return (await client.query(statement.text, statement.values)).rows as T[];
}

/** Joined texts by the sequence of parts' texts: a trie of maps, so a look-up hashes each (reused) text once. */
interface JoinNode {
  /** Literal parts and statements apart: only a statement's $n are renumbered. */
  literal: Map<string, JoinNode>;
  statement: Map<string, JoinNode>;
  text?: string;
}
const joinNode = (): JoinNode => ({ literal: new Map(), statement: new Map() });
let joined = joinNode();
let joinedCount = 0;

/**
 * Joins statements' texts, renumbering each one's $n after the parameters of those before it. The
 * joined text is kept per sequence of texts, so a statement of a shape seen before costs a look-up.
 */
export function joinStatements(parts: Array<string | Statement>): Statement {
  let node = joined;
  const values: unknown[] = [];
  for (const part of parts) {
    const [next, text] = typeof part === 'string' ? [node.literal, part] : [node.statement, part.text];
    let child = next.get(text);
    if (!child) next.set(text, (child = joinNode()));
    node = child;
    if (typeof part !== 'string') for (const v of part.values) values.push(v);
  }
  if (node.text === undefined) {
    if (++joinedCount > MAX_TEMPLATES) {
      joined = joinNode();
      joinedCount = 0;
    }
    let text = '';
    let offset = 0;
    for (const part of parts) {
      if (typeof part === 'string') {
        text += part;
        continue;
      }
      const at = offset;
      text += at ? part.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + at}`) : part.text;
      offset += part.values.length;
    }
    node.text = text;
  }
  return { text: node.text, values };
}
