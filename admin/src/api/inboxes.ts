import { api } from './client';
import type { ResponseOf } from './generated';

export type InboxCount = ResponseOf<'GET /api/inboxes'>['items'][number];
export type InboxPage = ResponseOf<'GET /api/inboxes/{name}'>;

export const INBOX_STREAM = '/api/inboxes/stream';

export const listInboxCounts = (signal?: AbortSignal) =>
  api.get<{ items: InboxCount[] }>('/api/inboxes', undefined, signal);

export const getInbox = (name: string, signal?: AbortSignal) =>
  api.get<InboxPage>(`/api/inboxes/${encodeURIComponent(name)}`, undefined, signal);
