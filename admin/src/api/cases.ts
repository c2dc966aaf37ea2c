import { api, queryString, type Query } from './client';
import type { BodyOf, ResponseOf } from './generated';
import type { CaseDetail, CaseSummary } from './types';

export type CaseFilters = {
  state?: string;
  categoryCode?: string;
  areaId?: string;
  departmentId?: string;
  deadlineStatus?: string;
  channel?: string;
  q?: string;
};

export type CasePage = ResponseOf<'GET /api/cases'>;

export const listCases = (filters: CaseFilters & { page: number; pageSize: number }, signal?: AbortSignal) =>
  api.get<CasePage>('/api/cases', filters, signal);

/** The export takes the list's filters but not its page. */
export const casesCsvUrl = (filters: Query) => `/api/cases.csv${queryString(filters)}`;

export const getCase = (id: string, signal?: AbortSignal) =>
  api.get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, undefined, signal);

/** The action is one the server offered in allowedActions (a string there), so it is sent as given. */
export type TransitionBody = Omit<BodyOf<'POST /api/cases/{id}/transitions'>, 'action'> & { action: string };

export const transition = (id: string, body: TransitionBody) =>
  api.post<{ case: CaseSummary }>(`/api/cases/${encodeURIComponent(id)}/transitions`, body);

export const reclassify = (id: string, categoryCode: string, version: number) =>
  api.post<{ case: CaseSummary }>(`/api/cases/${encodeURIComponent(id)}/reclassify`, { categoryCode, version });

export const splitReport = (id: string, reportId: string) =>
  api.post<{ case: CaseSummary }>(`/api/cases/${encodeURIComponent(id)}/split`, { reportId });

export const reviewQueue = () => api.get<{ items: CaseSummary[] }>('/api/review-queue');

/** The id of the case with this number, for 并案 (the list's search matches a case number exactly). */
export async function caseIdByNumber(caseNo: string): Promise<string | null> {
  const page = await listCases({ q: caseNo, page: 1, pageSize: 1 });
  return page.items[0]?.caseNo === caseNo ? page.items[0].id : null;
}
