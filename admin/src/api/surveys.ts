import { api } from './client';
import type { Loose } from './types';

export const callbackQueue = () => api.get<{ items: Loose[]; pbx?: boolean } | Loose[]>('/api/surveys/callbacks');
export const revealForCallback = (id: string) =>
  api.post<{ phone: string }>(`/api/surveys/${encodeURIComponent(id)}/reveal`, {});
/** 拨打: the PBX rings the agent's extension, then the citizen (202 before the phones ring). */
export const startCallbackCall = (id: string) =>
  api.post<{ eventId: number; extension: string; startedAt: string }>(
    `/api/surveys/${encodeURIComponent(id)}/callback-call`,
    {},
  );
export const recordCallbackAttempt = (id: string, outcome: string) =>
  api.post<{ attempts: number }>(`/api/surveys/${encodeURIComponent(id)}/callback-attempts`, { outcome });
export const answerSurvey = (id: string, result: string, comment?: string) =>
  api.post<Loose>(`/api/surveys/${encodeURIComponent(id)}/answer`, { result, ...(comment ? { comment } : {}) });
