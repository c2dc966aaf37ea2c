import { api } from './client';
import type { BodyOf, ResponseOf } from './generated';
import type { StaffUser } from './types';

export type NewStaff = BodyOf<'POST /api/staff'>;

export const listStaff = () => api.get<ResponseOf<'GET /api/staff'>>('/api/staff');
export const createStaff = (body: NewStaff) => api.post<ResponseOf<'POST /api/staff'>>('/api/staff', body);
export const updateStaff = (id: string, body: Partial<Pick<StaffUser, 'displayName' | 'active'>>) =>
  api.put<{ user: StaffUser }>(`/api/staff/${id}`, body);
export const resetStaffPassword = (id: string) =>
  api.post<{ user: StaffUser; password: string }>(`/api/staff/${id}/password`);
