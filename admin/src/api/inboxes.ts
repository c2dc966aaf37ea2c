import { api } from './client';
import type { CaseSummary } from './types';

export interface InboxCount {
  name: string;
  label: string;
  count: number;
}

export interface InboxPage {
  name: string;
  label: string;
  items: Array<CaseSummary & { allowedActions: string[] }>;
}

export const INBOX_STREAM = '/api/inboxes/stream';

export const listInboxCounts = (signal?: AbortSignal) =>
  api.get<{ items: InboxCount[] }>('/api/inboxes', undefined, signal);

export const getInbox = (name: string, signal?: AbortSignal) =>
  api.get<InboxPage>(`/api/inboxes/${encodeURIComponent(name)}`, undefined, signal);
