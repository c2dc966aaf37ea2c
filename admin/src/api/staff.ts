import { api } from './client';
import type { Loose, Role, StaffUser } from './types';

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  departmentId?: number;
  extension?: string;
  password?: string;
}

export const listStaff = () => api.get<StaffUser[] | { items: StaffUser[] }>('/api/staff');
export const createStaff = (body: NewStaff) => api.post<Loose>('/api/staff', body);
export const updateStaff = (id: string, body: Partial<Pick<StaffUser, 'displayName' | 'active'>>) =>
  api.put<{ user: StaffUser }>(`/api/staff/${id}`, body);
export const resetStaffPassword = (id: string) =>
  api.post<{ user: StaffUser; password: string }>(`/api/staff/${id}/password`);
