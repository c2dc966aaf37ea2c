import { useCallback, useEffect, useState } from 'react';
import { clearDraft, isEmpty, loadDraft, newDraft, saveDraft, type Draft } from '../../draft/store';

export type DraftPatch = Partial<Draft> | ((d: Draft) => Partial<Draft>);

/** The report being written, saved on every change so a closed page or a dead network loses nothing. */
export function useDraft() {
  const [start] = useState(() => {
    const saved = loadDraft();
    return { draft: saved ?? newDraft(), restored: !!saved && !isEmpty(saved) };
  });
  const [draft, setDraft] = useState<Draft>(start.draft);

  useEffect(() => {
    if (isEmpty(draft)) clearDraft();
    else saveDraft(draft);
  }, [draft]);

  const update = useCallback((patch: DraftPatch) => {
    setDraft((d) => ({ ...d, ...(typeof patch === 'function' ? patch(d) : patch) }));
  }, []);

  const reset = useCallback(() => {
    clearDraft();
    setDraft(newDraft());
  }, []);

  return { draft, update, reset, restored: start.restored };
}
