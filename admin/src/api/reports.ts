import { api } from './client';
import type { BodyOf, ResponseOf } from './generated';
import type { Classification, ReportResult } from './types';

export const classify = (text: string, signal?: AbortSignal) =>
  api.post<Classification>('/api/classify', { text }, signal);

export type NewReport = BodyOf<'POST /api/reports'>;
export type NearbyCase = ResponseOf<'GET /api/reports/nearby'>['items'][number];

export const createReport = (body: NewReport) => api.post<ReportResult>('/api/reports', body);

export const nearbyCases = (lat: number, lng: number, categoryCode: string, signal?: AbortSignal) =>
  api.get<{ items: NearbyCase[] }>('/api/reports/nearby', { lat, lng, categoryCode }, signal);
