import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { knowledgeAnswers } from '../db/schema.js';

export type KnowledgeRow = typeof knowledgeAnswers.$inferSelect;

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (m) => '\\' + m);

/**
 * The answers an agent may give for what the caller asked: every word of the query (split on
 * spaces and punctuation) must appear in the question, the answer or a keyword; a keyword or
 * question hit ranks before an answer-only one.
 */
export async function searchAnswers(db: DbOrTx, q: string, limit = 10): Promise<KnowledgeRow[]> {
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
