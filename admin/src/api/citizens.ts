import { api } from './client';
import type { Loose } from './types';

export const unmask = (citizenId: string) =>
  api.post<{ phone: string }>(`/api/citizens/${encodeURIComponent(citizenId)}/unmask`);
export const citizenTimeline = (citizenId: string, signal?: AbortSignal) =>
  api.get<{ items: Loose[] }>(`/api/citizens/${encodeURIComponent(citizenId)}/timeline`, undefined, signal);
