import { api } from './client';
import type { BodyOf, KnowledgeAnswer } from './generated';

export type { KnowledgeAnswer } from './generated';

export const searchKnowledge = (q: string, signal?: AbortSignal) =>
  api.get<{ items: KnowledgeAnswer[] }>('/api/knowledge/search', { q }, signal);
export const listKnowledge = (signal?: AbortSignal) =>
  api.get<{ items: KnowledgeAnswer[] }>('/api/knowledge', undefined, signal);
export const createKnowledge = (body: BodyOf<'POST /api/knowledge'>) =>
  api.post<{ item: KnowledgeAnswer }>('/api/knowledge', body);
export const updateKnowledge = (id: number, body: BodyOf<'PUT /api/knowledge/{id}'>) =>
  api.put<{ item: KnowledgeAnswer }>(`/api/knowledge/${id}`, body);
