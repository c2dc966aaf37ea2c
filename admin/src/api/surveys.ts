import { api } from './client';
import type { Loose } from './types';

export const callbackQueue = () => api.get<{ items: Loose[] } | Loose[]>('/api/surveys/callbacks');
export const answerSurvey = (id: string, result: string, comment?: string) =>
  api.post<Loose>(`/api/surveys/${encodeURIComponent(id)}/answer`, { result, ...(comment ? { comment } : {}) });
