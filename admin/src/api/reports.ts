import { api } from './client';
import type { CaseSummary, Classification, ReportResult } from './types';

export const classify = (text: string, signal?: AbortSignal) =>
  api.post<Classification>('/api/classify', { text }, signal);

export interface NewReport {
  idempotencyKey: string;
  channel: 'hotline' | 'agent';
  text: string;
  phone?: string;
  name?: string;
  location?: { lat: number; lng: number };
  address?: string;
  categoryCode?: string;
  callId?: string;
  photos?: string[];
  urgency?: '紧急' | '一般';
  /** 咨询: answered on the spot; the case is closed with the answer. */
  consultation?: { answer: string; knowledgeId?: number };
}

export const createReport = (body: NewReport) => api.post<ReportResult>('/api/reports', body);

export const nearbyCases = (lat: number, lng: number, categoryCode: string, signal?: AbortSignal) =>
  api.get<{ items: CaseSummary[] }>('/api/reports/nearby', { lat, lng, categoryCode }, signal);
