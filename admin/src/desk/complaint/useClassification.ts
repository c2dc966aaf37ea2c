import { useEffect, useState } from 'react';
import { isAbort } from '../../api/client';
import { classify } from '../../api/reports';
import type { Classification } from '../../api/types';
import { useDebounced } from '../../shared/useDebounced';

/** Fewer characters than this say too little to classify, and /api/classify is rate-limited. */
export const MIN_CLASSIFY_CHARS = 4;

/**
 * Asks the server for a category while the agent types: one call per pause in typing,
 * and an answer for older text never replaces the answer for newer text.
 */
export function useClassification(text: string, delayMs: number) {
  const debounced = useDebounced(text.trim(), delayMs);
  const [result, setResult] = useState<Classification | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  useEffect(() => {
    if (debounced.length < MIN_CLASSIFY_CHARS) {
      setResult(null);
      setError(null);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    classify(debounced, controller.signal)
      .then((r) => {
        setResult(r);
        setError(null);
      })
      .catch((err) => {
        if (!isAbort(err)) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [debounced]);

  return { result, loading, error };
}
