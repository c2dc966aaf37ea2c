import { useEffect, useState } from 'react';
import { INBOX_STREAM, listInboxCounts, type InboxCount } from '../api/inboxes';

/** The user's inboxes with their counts: read once, then kept current by the server's pushes. */
export function useInboxCounts(enabled: boolean): InboxCount[] {
  const [counts, setCounts] = useState<InboxCount[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    listInboxCounts(controller.signal)
      .then((r) => setCounts(r.items))
      .catch(() => {
        // The stream brings the counts too; a failed first read only delays them.
      });
    if (typeof EventSource === 'undefined') return () => controller.abort();
    const source = new EventSource(INBOX_STREAM, { withCredentials: true });
    source.addEventListener('inbox-counts', (e) => {
      try {
        setCounts((JSON.parse((e as MessageEvent).data) as { items: InboxCount[] }).items);
      } catch {
        // A malformed push is dropped; the next change brings fresh counts.
      }
    });
    return () => {
      controller.abort();
      source.close();
    };
  }, [enabled]);
  return counts;
}
