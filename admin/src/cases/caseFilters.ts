import type { CaseFilters } from '../api/cases';

export const FILTER_KEYS: Array<keyof CaseFilters> = [
  'state',
  'categoryCode',
  'areaId',
  'departmentId',
  'deadlineStatus',
  'channel',
  'q',
];

/** The list's filters live in the address bar, so a reload or "back" from a case keeps them. */
export function filtersFromParams(params: URLSearchParams): CaseFilters {
  const filters: CaseFilters = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) filters[key] = v;
  }
  return filters;
}

export function pageFromParams(params: URLSearchParams): { page: number; pageSize: number } {
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('pageSize')) || 20));
  return { page, pageSize };
}

export function withFilters(params: URLSearchParams, patch: Partial<CaseFilters>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null || value === '') next.delete(key);
    else next.set(key, String(value));
  }
  next.delete('page');
  return next;
}
