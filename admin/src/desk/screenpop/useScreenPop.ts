import { useCallback, useEffect, useState } from 'react';
import type { ScreenPop } from '../../api/types';
import { api } from '../../api/client';

export type StreamStatus = 'connecting' | 'open' | 'error';

/** The latest call bridged to this agent, from the server's screen-pop stream. */
export function useScreenPop(url = '/api/screen-pop/stream') {
  const [pop, setPop] = useState<ScreenPop | null>(null);
  const [status, setStatus] = useState<StreamStatus>('connecting');

  // After a reload mid-call the server still knows the call: shown at once, the stream then keeps it fresh.
  useEffect(() => {
    let live = true;
    api
      .get<{ screenPop: ScreenPop | null }>('/api/screen-pop/current')
      .then((r) => {
        if (live && r?.screenPop) setPop((p) => p ?? r.screenPop);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    // EventSource reconnects on its own after a dropped connection; we only reflect its state.
    const source = new EventSource(url, { withCredentials: true });
    source.onopen = () => setStatus('open');
    source.onerror = () => setStatus('error');
    source.addEventListener('screen-pop', (e) => {
      try {
        setPop(JSON.parse((e as MessageEvent).data));
      } catch {
        // A malformed event is dropped; the next call brings a fresh one.
      }
    });
    return () => source.close();
  }, [url]);

  const clear = useCallback(() => setPop(null), []);
  return { pop, status, clear };
}
