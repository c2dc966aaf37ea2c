import { z } from 'zod';

export const KINDS = ['部件', '事件', '非城管'] as const;
export const LEVELS = ['大类', '小类'] as const;

export type Kind = (typeof KINDS)[number];
export type Level = (typeof LEVELS)[number];

// Strict rows: a misspelt field ("synonym", "agncy") in a hand-edited city table
// should stop the load rather than silently drop the data.
export const categoryRowSchema = z.strictObject({
  code: z.string().regex(/^\d{4,8}$/, 'code must be 4 to 8 digits'),
  kind: z.enum(KINDS),
  level: z.enum(LEVELS),
  name: z.string().trim().min(1, 'name is empty'),
  parent: z.string().optional(),
  synonyms: z.array(z.string().trim().min(1, 'empty synonym')).optional(),
  agency: z.string().trim().min(1, 'agency is empty').optional(),
});

export const taxonomyDocSchema = z.object({
  city: z.string().trim().min(1),
  name: z.string().trim().min(1),
  source: z.string().optional(),
  categories: z.array(z.unknown()).min(1, 'the table has no categories'),
});

export type CategoryRow = z.infer<typeof categoryRowSchema>;
export type TaxonomyDoc = z.infer<typeof taxonomyDocSchema>;

export interface Category {
  code: string;
  kind: Kind;
  level: Level;
  name: string;
  /** Code of the 大类; set on every 小类, absent on 大类. */
  parent?: string;
  synonyms: readonly string[];
  /** Department a 非城管 小类 is transferred (转办) to. */
  agency?: string;
}

export interface Taxonomy {
  city: string;
  name: string;
  categories: readonly Category[];
  byCode(code: string): Category | undefined;
  /** Exact name; a 小类 wins over a 大类 of the same name, `kind` settles 大类 that repeat across kinds. */
  byName(name: string, kind?: Kind): Category | undefined;
  childrenOf(majorCode: string): readonly Category[];
  majorOf(minorCode: string): Category | undefined;
  majors(): readonly Category[];
  minors(): readonly Category[];
}
