import { api } from './client';
import type { ResponseOf } from './generated';

export const unmask = (citizenId: string) =>
  api.post<ResponseOf<'POST /api/citizens/{id}/unmask'>>(`/api/citizens/${encodeURIComponent(citizenId)}/unmask`);
export const citizenTimeline = (citizenId: string, signal?: AbortSignal) =>
  api.get<ResponseOf<'GET /api/citizens/{id}/timeline'>>(
    `/api/citizens/${encodeURIComponent(citizenId)}/timeline`,
    undefined,
    signal,
  );
