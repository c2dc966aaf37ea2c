import { api } from './client';

export interface KnowledgeAnswer {
  id: number;
  question: string;
  answer: string;
  keywords: string[];
  active: boolean;
  updatedAt: string;
}

export const searchKnowledge = (q: string, signal?: AbortSignal) =>
  api.get<{ items: KnowledgeAnswer[] }>('/api/knowledge/search', { q }, signal);
export const listKnowledge = (signal?: AbortSignal) =>
  api.get<{ items: KnowledgeAnswer[] }>('/api/knowledge', undefined, signal);
export const createKnowledge = (body: { question: string; answer: string; keywords: string[] }) =>
  api.post<{ item: KnowledgeAnswer }>('/api/knowledge', body);
export const updateKnowledge = (id: number, body: Partial<Omit<KnowledgeAnswer, 'id' | 'updatedAt'>>) =>
  api.put<{ item: KnowledgeAnswer }>(`/api/knowledge/${id}`, body);
