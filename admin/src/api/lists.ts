/**
 * The contract leaves some list endpoints' envelope open (a bare array or {items}); every
 * reader goes through here so a settled shape is a one-line change.
 */
export function itemsOf<T>(payload: T[] | { items: T[] } | null | undefined): T[] {
  if (!payload) return [];
  return Array.isArray(payload) ? payload : (payload.items ?? []);
}
