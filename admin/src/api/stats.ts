import { api, queryString } from './client';
import type { Stats } from './types';

/** Dates are calendar days (YYYY-MM-DD), as the server's stats query takes them. */
export type StatsFilters = {
  from?: string;
  to?: string;
  areaId?: string;
  departmentId?: string;
};

export const getStats = (filters: StatsFilters, signal?: AbortSignal) =>
  api.get<Stats>('/api/stats', { ...filters }, signal);
export const statsCsvUrl = (filters: StatsFilters) => `/api/stats.csv${queryString({ ...filters })}`;
