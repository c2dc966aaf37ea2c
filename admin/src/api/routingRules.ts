import { api } from './client';
import type { RoutingRule } from './types';

export type RoutingRuleInput = Omit<RoutingRule, 'id'>;

export const listRules = () => api.get<RoutingRule[] | { items: RoutingRule[] }>('/api/routing-rules');
export const createRule = (body: RoutingRuleInput) => api.post<{ rule: RoutingRule }>('/api/routing-rules', body);
export const updateRule = (id: number, body: RoutingRuleInput) =>
  api.put<{ rule: RoutingRule }>(`/api/routing-rules/${id}`, body);
export const deleteRule = (id: number) => api.delete<void>(`/api/routing-rules/${id}`);
