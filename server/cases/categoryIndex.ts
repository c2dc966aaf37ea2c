import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { categories } from '../db/schema.js';
import type { CategoryRow } from '../db/rows.js';

export type { CategoryRow } from '../db/rows.js';

/** The city's category table in memory: codes are looked up on every intake. */
export class CategoryIndex {
  private readonly byCode = new Map<string, CategoryRow>();

  constructor(
    readonly city: string,
    rows: CategoryRow[],
  ) {
    for (const r of rows) this.byCode.set(r.code, r);
  }

  static async load(db: DbOrTx, city: string): Promise<CategoryIndex> {
    return new CategoryIndex(city, await db.select().from(categories).where(eq(categories.city, city)));
  }

  get(code: string | null | undefined): CategoryRow | undefined {
    return code ? this.byCode.get(code) : undefined;
  }

  /** For a 小类 code: itself and its 大类; for a 大类 code: no 小类. */
  resolve(code: string): { minor: CategoryRow | null; major: CategoryRow | null } | null {
    const row = this.get(code);
    if (!row) return null;
    if (row.level === '大类') return { minor: null, major: row };
    return { minor: row, major: this.get(row.parentCode) ?? null };
  }

  name(code: string | null | undefined): string | null {
    return this.get(code)?.name ?? null;
  }

  tree() {
    const majors = [...this.byCode.values()].filter((c) => c.level === '大类');
    return majors.map((m) => ({
      code: m.code,
      name: m.name,
      kind: m.kind,
      children: [...this.byCode.values()]
        .filter((c) => c.parentCode === m.code)
        .map((c) => ({ code: c.code, name: c.name, kind: c.kind, ...(c.agency ? { agency: c.agency } : {}) })),
    }));
  }

  all(): CategoryRow[] {
    return [...this.byCode.values()];
  }
}
