/**
 * The Asia/Shanghai working calendar used for 处置时限. China has no DST, so a
 * fixed +08:00 offset is exact. Holidays and 调休 working days are data: each
 * year's State Council notice is entered as dates.
 */
export interface WorkingCalendar {
  /** 'YYYY-MM-DD' dates that are days off even if Monday–Friday. */
  holidays: string[];
  /** 'YYYY-MM-DD' weekend dates that are working days (调休). */
  workdays: string[];
  /** Working periods in minutes after local midnight. */
  periods: Array<[number, number]>;
}

const OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 24 * 3600_000;

/** 2026 public holidays and 调休 working days as announced by the State Council; extend with CALENDAR_HOLIDAYS / CALENDAR_WORKDAYS. */
export const defaultCalendar: WorkingCalendar = {
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  periods: [
    [8 * 60 + 30, 12 * 60],
    [13 * 60 + 30, 17 * 60 + 30],
  ],
};

/** Local (Asia/Shanghai) calendar date of an instant, as YYYY-MM-DD. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of Asia/Shanghai midnight starting the local day of `at`. */
export function localMidnight(at: Date): number {
  const local = at.getTime() + OFFSET_MS;
  return local - (local % DAY_MS) - OFFSET_MS;
}

export function isWorkingDay(day: string, cal: WorkingCalendar = defaultCalendar): boolean {
  if (cal.workdays.includes(day)) return true;
  if (cal.holidays.includes(day)) return false;
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** Adds working hours: time counts only inside working periods of working days. */
export function addWorkingHours(start: Date, hours: number, cal: WorkingCalendar = defaultCalendar): Date {
  let remaining = Math.round(hours * 60) * 60_000;
  let dayStart = localMidnight(start);
  let cursor = start.getTime();
  for (let guard = 0; guard < 3660; guard++) {
    if (isWorkingDay(localDate(new Date(dayStart)), cal)) {
      for (const [from, to] of cal.periods) {
        const pStart = Math.max(dayStart + from * 60_000, cursor);
        const pEnd = dayStart + to * 60_000;
        if (pEnd <= pStart) continue;
        if (pEnd - pStart >= remaining) return new Date(pStart + remaining);
        remaining -= pEnd - pStart;
      }
    }
    dayStart += DAY_MS;
    cursor = dayStart;
  }
  throw new Error('working calendar has no working time within ten years');
}

export function addCalendarHours(start: Date, hours: number): Date {
  return new Date(start.getTime() + hours * 3600_000);
}

export function deadlineFrom(
  start: Date,
  hours: number,
  type: 'working' | 'calendar',
  cal: WorkingCalendar = defaultCalendar,
): Date {
  return type === 'working' ? addWorkingHours(start, hours, cal) : addCalendarHours(start, hours);
}

/** Working minutes between two instants (for 按期 statistics and 即将超期). */
export function workingMinutesBetween(a: Date, b: Date, cal: WorkingCalendar = defaultCalendar): number {
  if (b <= a) return 0;
  let total = 0;
  let dayStart = localMidnight(a);
  while (dayStart < b.getTime()) {
    if (isWorkingDay(localDate(new Date(dayStart)), cal)) {
      for (const [from, to] of cal.periods) {
        const s = Math.max(dayStart + from * 60_000, a.getTime());
        const e = Math.min(dayStart + to * 60_000, b.getTime());
        if (e > s) total += (e - s) / 60_000;
      }
    }
    dayStart += DAY_MS;
  }
  return total;
}
