import { describe, expect, it } from 'vitest';
import {
  addWorkingHours,
  deadlineFrom,
  isWorkingDay,
  workingMinutesBetween,
  defaultCalendar,
} from '../../server/cases/calendar.js';

const at = (local: string) => new Date(`${local}+08:00`);
const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working calendar (Asia/Shanghai)', () => {
  it('knows weekends, holidays and 调休 working days', () => {
    expect(isWorkingDay('2026-11-20')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-01')).toBe(false); // 国庆 Thursday
    expect(isWorkingDay('2026-10-10')).toBe(true); // 调休 Saturday
    expect(isWorkingDay('2026-09-20')).toBe(true); // 调休 Sunday
  });

  it('adds working hours within one day, skipping lunch', () => {
    // 7.5 working hours a day: 08:30–12:00 and 13:30–17:30.
    expect(local(addWorkingHours(at('2026-11-18T09:00'), 2))).toBe('2026-11-18 11:00');
    expect(local(addWorkingHours(at('2026-11-18T11:00'), 2))).toBe('2026-11-18 14:30');
  });

  it('carries across a weekend', () => {
    // Friday 16:30 + 4 h: 1 h on Friday, 3 h from Monday 08:30.
    expect(local(addWorkingHours(at('2026-11-20T16:30'), 4))).toBe('2026-11-23 11:30');
    // Reported on Saturday: the clock starts Monday morning.
    expect(local(addWorkingHours(at('2026-11-21T10:00'), 1))).toBe('2026-11-23 09:30');
  });

  it('carries across the National Day holiday and counts the 调休 Saturday', () => {
    // Wednesday 30 Sep 17:00 + 9 h: 0.5 h that day, holiday 1–7 Oct, Thursday 8 Oct 7.5 h, Friday 9 Oct 1 h.
    expect(local(addWorkingHours(at('2026-09-30T17:00'), 9))).toBe('2026-10-09 09:30');
    // Friday 9 Oct 17:00 + 2 h: Saturday 10 Oct is a working day.
    expect(local(addWorkingHours(at('2026-10-09T17:00'), 2))).toBe('2026-10-10 10:00');
  });

  it('counts calendar hours straight through nights and holidays', () => {
    expect(local(deadlineFrom(at('2026-10-01T22:00'), 4, 'calendar'))).toBe('2026-10-02 02:00');
  });

  it('takes extra holidays from configuration', () => {
    const cal = { ...defaultCalendar, holidays: [...defaultCalendar.holidays, '2026-11-23'] };
    expect(local(addWorkingHours(at('2026-11-20T16:30'), 4, cal))).toBe('2026-11-24 11:30');
  });

  it('measures working minutes between two instants', () => {
    expect(workingMinutesBetween(at('2026-11-20T16:30'), at('2026-11-23T11:30'))).toBe(240);
    expect(workingMinutesBetween(at('2026-11-23T11:30'), at('2026-11-20T16:30'))).toBe(0);
  });
});
