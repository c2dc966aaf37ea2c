import { api } from './client';
import type { CategoryNode, Department, GridCollection } from './types';

export const categories = () =>
  api.get<CategoryNode[] | { items: CategoryNode[] }>('/api/categories', { city: 'default' });
export const departments = () => api.get<Department[] | { items: Department[] }>('/api/departments');
export const grids = () => api.get<GridCollection>('/api/areas', { level: 'grid' });
/** Every area, district to grid cell: routing rules may name any level. */
export const allAreas = () => api.get<GridCollection>('/api/areas');
