import { api } from './client';
import type { StaffUser } from './types';

export const login = (username: string, password: string) =>
  api.post<{ token: string; expiresAt: string; user: StaffUser }>('/api/auth/login', { username, password });
export const logout = () => api.post<void>('/api/auth/logout');
export const me = () => api.get<{ user: StaffUser }>('/api/auth/me');
