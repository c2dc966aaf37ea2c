import type { KnowledgeRow } from '../knowledge/answers.js';

export function presentAnswer(a: KnowledgeRow) {
  return {
    id: a.id,
    question: a.question,
    answer: a.answer,
    keywords: a.keywords,
    active: a.active,
    updatedAt: a.updatedAt.toISOString(),
  };
}
