import { api } from './client';
import type { Department } from './types';

export interface DepartmentInput {
  code?: string;
  name?: string;
  delivery?: 'internal' | 'webhook';
  webhookUrl?: string | null;
  agency?: string | null;
  active?: boolean;
}

/** A webhook department's secret comes back once, in the answer that made it. */
type Saved = { department: Department; webhookSecret?: string };

export const createDepartment = (body: DepartmentInput) => api.post<Saved>('/api/departments', body);
export const updateDepartment = (id: number, body: DepartmentInput) => api.put<Saved>(`/api/departments/${id}`, body);
export const testDelivery = (id: number) =>
  api.post<{ ok: boolean; status: number | null; message: string }>(`/api/departments/${id}/test-delivery`);
