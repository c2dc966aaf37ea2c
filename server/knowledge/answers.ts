import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import { knowledgeAnswers } from '../db/schema.js';

export type KnowledgeRow = typeof knowledgeAnswers.$inferSelect;

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (m) => '\\' + m);

/**
 * The answers an agent may give for what the caller asked: every word of the query (split on
 * spaces and punctuation) must appear in the question, the answer or a keyword; a keyword or
 * question hit ranks before an answer-only one.
 */
export async function searchAnswers(services: Services, q: string, limit = 10): Promise<KnowledgeRow[]> {
  const db = services.database.db;
  const words = q
    .split(/[\s,，。？?！!、;；:：]+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 5);
  if (!words.length) return [];
  const keywordText = sql`${knowledgeAnswers.keywords}::text`;
  const hits = words.map((w) => {
    const like = `%${escapeLike(w)}%`;
    return or(
      ilike(knowledgeAnswers.question, like),
      ilike(knowledgeAnswers.answer, like),
      sql`${keywordText} ilike ${like}`,
    )!;
  });
  const inTitle = words.map(
    (w) =>
      sql`(case when ${knowledgeAnswers.question} ilike ${`%${escapeLike(w)}%`} or ${keywordText} ilike ${`%${escapeLike(w)}%`} then 1 else 0 end)`,
  );
  return db
    .select()
    .from(knowledgeAnswers)
    .where(and(eq(knowledgeAnswers.active, true), ...hits))
    .orderBy(desc(sql.join(inTitle, sql` + `)), desc(knowledgeAnswers.updatedAt))
    .limit(limit);
}

/** The knowledge base, recently changed first. */
export const listAnswers = (services: Services) =>
  services.database.db.select().from(knowledgeAnswers).orderBy(desc(knowledgeAnswers.updatedAt));

export async function createAnswer(
  services: Services,
  values: typeof knowledgeAnswers.$inferInsert,
): Promise<KnowledgeRow> {
  const [row] = await services.database.db.insert(knowledgeAnswers).values(values).returning();
  return row;
}

/** The answer after the change, or undefined when there is none with this id. */
export async function updateAnswer(
  services: Services,
  id: number,
  patch: Partial<typeof knowledgeAnswers.$inferInsert>,
): Promise<KnowledgeRow | undefined> {
  const [row] = await services.database.db
    .update(knowledgeAnswers)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(knowledgeAnswers.id, id))
    .returning();
  return row;
}

/** Whether there was an answer with this id to delete. */
export async function deleteAnswer(services: Services, id: number): Promise<boolean> {
  const [row] = await services.database.db
    .delete(knowledgeAnswers)
    .where(eq(knowledgeAnswers.id, id))
    .returning({ id: knowledgeAnswers.id });
  return !!row;
}
