import { api } from './client';
import type { ResponseOf } from './generated';

export const callbackQueue = () => api.get<ResponseOf<'GET /api/surveys/callbacks'>>('/api/surveys/callbacks');
export const revealForCallback = (id: string) =>
  api.post<ResponseOf<'POST /api/surveys/{id}/reveal'>>(`/api/surveys/${encodeURIComponent(id)}/reveal`, {});
/** 拨打: the PBX rings the agent's extension, then the citizen (202 before the phones ring). */
export const startCallbackCall = (id: string) =>
  api.post<ResponseOf<'POST /api/surveys/{id}/callback-call'>>(
    `/api/surveys/${encodeURIComponent(id)}/callback-call`,
    {},
  );
export const recordCallbackAttempt = (id: string, outcome: string) =>
  api.post<ResponseOf<'POST /api/surveys/{id}/callback-attempts'>>(
    `/api/surveys/${encodeURIComponent(id)}/callback-attempts`,
    { outcome },
  );
export const answerSurvey = (id: string, result: string, comment?: string) =>
  api.post<ResponseOf<'POST /api/surveys/{id}/answer'>>(`/api/surveys/${encodeURIComponent(id)}/answer`, {
    result,
    ...(comment ? { comment } : {}),
  });
