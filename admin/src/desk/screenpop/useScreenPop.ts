import { useCallback, useEffect, useState } from 'react';
import type { ScreenPop } from '../../api/types';

export type StreamStatus = 'connecting' | 'open' | 'error';

/** The latest call bridged to this agent, from the server's screen-pop stream. */
export function useScreenPop(url = '/api/screen-pop/stream') {
  const [pop, setPop] = useState<ScreenPop | null>(null);
  const [status, setStatus] = useState<StreamStatus>('connecting');

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
