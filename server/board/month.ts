import { localDate } from '../cases/calendar.js';

/** A Beijing calendar month as instants: [from, to), and the as-of time (its end, or now if not over). */
export function monthRange(month?: string, now = new Date()): { month: string; from: Date; to: Date; asOf: Date } {
  const m = month ?? localDate(now).slice(0, 7);
  const [y, mo] = m.split('-').map(Number);
  const from = new Date(`${m}-01T00:00:00+08:00`);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  const to = new Date(`${next}-01T00:00:00+08:00`);
  return { month: m, from, to, asOf: to < now ? to : now };
}
