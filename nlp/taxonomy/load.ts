import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { categoryRowSchema, taxonomyDocSchema, type Category, type Taxonomy } from './schema.js';

export class TaxonomyError extends Error {
  constructor(
    message: string,
    readonly row?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TaxonomyError';
  }
}

function rowError(index: number, code: unknown, problem: string): TaxonomyError {
  const shownCode = typeof code === 'string' || typeof code === 'number' ? String(code) : '?';
  return new TaxonomyError(
    `taxonomy row ${index} (code ${shownCode}): ${problem}`,
    index,
    typeof code === 'string' ? code : undefined,
  );
}

function codeOf(raw: unknown): unknown {
  return raw && typeof raw === 'object' ? (raw as { code?: unknown }).code : undefined;
}

/** Validates a city table and builds its lookups; throws TaxonomyError naming the first bad row. */
export function loadTaxonomy(doc: unknown): Taxonomy {
  const head = taxonomyDocSchema.safeParse(doc);
  if (!head.success) {
    const issue = head.error.issues[0];
    throw new TaxonomyError(`taxonomy: ${issue.path.join('.') || 'document'}: ${issue.message}`);
  }

  const categories: Category[] = [];
  const byCode = new Map<string, Category>();
  const rowOf = new Map<string, number>();
  const minorNames = new Map<string, string>();

  head.data.categories.forEach((raw, index) => {
    const parsed = categoryRowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.');
      throw rowError(index, codeOf(raw), field ? `${field}: ${issue.message}` : issue.message);
    }
    const row = parsed.data;
    if (byCode.has(row.code)) {
      throw rowError(index, row.code, `duplicate code, first used in row ${rowOf.get(row.code)}`);
    }
    if (row.level === '小类' && !row.parent) throw rowError(index, row.code, '小类 without parent');
    if (row.level === '大类' && row.parent) throw rowError(index, row.code, '大类 must not have a parent');
    if (row.level === '小类') {
      const clash = minorNames.get(row.name);
      // Corpus rows name their 小类, so two 小类 with one name would make labels ambiguous.
      if (clash) throw rowError(index, row.code, `小类 name ${row.name} already used by ${clash}`);
      minorNames.set(row.name, row.code);
    }
    if (row.kind === '非城管' && row.level === '小类' && !row.agency) {
      throw rowError(index, row.code, '非城管 小类 needs an agency to transfer to');
    }
    const category: Category = {
      code: row.code,
      kind: row.kind,
      level: row.level,
      name: row.name,
      parent: row.parent,
      synonyms: row.synonyms ?? [],
      agency: row.agency,
    };
    categories.push(category);
    byCode.set(row.code, category);
    rowOf.set(row.code, index);
  });

  // Parents are checked after the pass so a table may list a 大类 after its 小类.
  const children = new Map<string, Category[]>();
  for (const category of categories) {
    if (category.level !== '小类') continue;
    const index = rowOf.get(category.code)!;
    const parent = byCode.get(category.parent!);
    if (!parent) throw rowError(index, category.code, `parent ${category.parent} not found`);
    if (parent.level !== '大类') throw rowError(index, category.code, `parent ${parent.code} is not a 大类`);
    if (parent.kind !== category.kind) {
      throw rowError(index, category.code, `kind ${category.kind} differs from its parent's (${parent.kind})`);
    }
    const list = children.get(parent.code) ?? [];
    list.push(category);
    children.set(parent.code, list);
  }

  const majors = categories.filter((c) => c.level === '大类');
  const minors = categories.filter((c) => c.level === '小类');
  for (const major of majors) {
    if (!children.has(major.code)) {
      throw rowError(rowOf.get(major.code)!, major.code, '大类 has no 小类');
    }
  }

  return {
    city: head.data.city,
    name: head.data.name,
    categories,
    byCode: (code) => byCode.get(code),
    byName(name, kind) {
      const matches = (c: Category) => c.name === name && (!kind || c.kind === kind);
      return minors.find(matches) ?? majors.find(matches);
    },
    childrenOf: (majorCode) => children.get(majorCode) ?? [],
    majorOf(minorCode) {
      const minor = byCode.get(minorCode);
      return minor?.parent ? byCode.get(minor.parent) : undefined;
    },
    majors: () => majors,
    minors: () => minors,
  };
}

export const DEFAULT_TAXONOMY_PATH = fileURLToPath(new URL('./cities/default.json', import.meta.url));

export function loadTaxonomyFile(path: string): Taxonomy {
  return loadTaxonomy(JSON.parse(readFileSync(path, 'utf8')));
}

let defaultTaxonomy: Taxonomy | undefined;

/** The national default table, parsed once per process. */
export function loadDefaultTaxonomy(): Taxonomy {
  defaultTaxonomy ??= loadTaxonomyFile(DEFAULT_TAXONOMY_PATH);
  return defaultTaxonomy;
}
