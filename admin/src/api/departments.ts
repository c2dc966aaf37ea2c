import { api } from './client';
import type { BodyOf, ResponseOf } from './generated';

/** The console's department form: a new department's fields, or the changes to one (the server checks which). */
export type DepartmentInput = Partial<BodyOf<'POST /api/departments'>> & BodyOf<'PUT /api/departments/{id}'>;
/** A webhook department's secret comes back once, in the answer that made it. */
type Saved = ResponseOf<'POST /api/departments'>;

export const createDepartment = (body: DepartmentInput) => api.post<Saved>('/api/departments', body);
export const updateDepartment = (id: number, body: DepartmentInput) =>
  api.put<ResponseOf<'PUT /api/departments/{id}'>>(`/api/departments/${id}`, body);
export const testDelivery = (id: number) =>
  api.post<ResponseOf<'POST /api/departments/{id}/test-delivery'>>(`/api/departments/${id}/test-delivery`);
