import { useEffect, useRef, useState } from 'react';
import { citizenApi } from '../../api/citizen';
import type { Classification } from '../../api/types';

const DEBOUNCE_MS = 600;
const MIN_CHARS = 4;

/**
 * Asks the classifier once the citizen pauses typing. Answers that come back after newer
 * text was sent are dropped, so a slow reply never replaces a fresher suggestion.
 */
export function useSuggestion(text: string) {
  const [result, setResult] = useState<Classification | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const trimmed = text.trim();
    const mine = ++seq.current;
    if (trimmed.length < MIN_CHARS) {
      setResult(null);
      setLoading(false);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      citizenApi
        .classify(trimmed)
        .then((r) => mine === seq.current && setResult(r))
        // A missing suggestion only means the citizen picks the category; never block the form.
        .catch(() => {})
        .finally(() => mine === seq.current && setLoading(false));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return { result, loading };
}
