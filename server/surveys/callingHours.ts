import { DAY_MS, localDate, localMidnight, type WorkingCalendar } from '../cases/calendar.js';

/**
 * When a citizen may be contacted for a survey: inside the daily windows, on any
 * day that is not a public holiday of the working calendar (weekends are fine: people
 * are home). China has no DST, so Asia/Shanghai is a fixed +08:00.
 */
export type CallWindow = [startMinute: number, endMinute: number];

const RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** '09:00-12:00,14:00-20:00' → [[540, 720], [840, 1200]]; throws on anything else. */
export function parseCallHours(spec: string): CallWindow[] {
  const windows = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part): CallWindow => {
      const m = RANGE.exec(part);
      if (!m) throw new Error(`"${part}" is not HH:MM-HH:MM`);
      const start = Number(m[1]) * 60 + Number(m[2]);
      const end = Number(m[3]) * 60 + Number(m[4]);
      if (Number(m[2]) > 59 || Number(m[4]) > 59 || end > 24 * 60 || start >= end)
        throw new Error(`"${part}" is not a window within one day`);
      return [start, end];
    })
    .sort((a, b) => a[0] - b[0]);
  if (!windows.length) throw new Error('no calling window');
  for (let i = 1; i < windows.length; i++) {
    if (windows[i][0] < windows[i - 1][1]) throw new Error('calling windows overlap');
  }
  return windows;
}

const callableDay = (dayStart: number, cal: WorkingCalendar) => !cal.holidays.includes(localDate(new Date(dayStart)));

export function isCallTime(at: Date, windows: CallWindow[], cal: WorkingCalendar): boolean {
  const dayStart = localMidnight(at);
  if (!callableDay(dayStart, cal)) return false;
  const minute = (at.getTime() - dayStart) / 60_000;
  return windows.some(([s, e]) => minute >= s && minute < e);
}

/** The earliest instant at or after `from` when a call may be placed. */
export function nextCallTime(from: Date, windows: CallWindow[], cal: WorkingCalendar): Date {
  let dayStart = localMidnight(from);
  for (let guard = 0; guard < 400; guard++) {
    if (callableDay(dayStart, cal)) {
      for (const [s, e] of windows) {
        const start = Math.max(dayStart + s * 60_000, from.getTime());
        if (start < dayStart + e * 60_000) return new Date(start);
      }
    }
    dayStart += DAY_MS;
  }
  throw new Error('no calling time within 400 days: check the holidays');
}
