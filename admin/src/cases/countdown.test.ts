import { describe, expect, it } from 'vitest';
import { formatCountdown } from './countdown';

const now = Date.parse('2026-11-22T08:00:00.000Z');
const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();

describe('formatCountdown', () => {
  it('counts whole hours left', () => {
    expect(formatCountdown(at(5 * 60 + 59), now)).toBe('剩余 5 小时');
    expect(formatCountdown(at(60), now)).toBe('剩余 1 小时');
    expect(formatCountdown(at(72 * 60), now)).toBe('剩余 72 小时');
  });

  it('counts minutes in the last hour', () => {
    expect(formatCountdown(at(59), now)).toBe('剩余 59 分钟');
    expect(formatCountdown(at(0), now)).toBe('剩余 0 分钟');
  });

  it('counts hours past the deadline', () => {
    expect(formatCountdown(at(-3 * 60 - 20), now)).toBe('已超期 3 小时');
    expect(formatCountdown(at(-25), now)).toBe('已超期 25 分钟');
    expect(formatCountdown(at(-0.2), now)).toBe('已超期 1 分钟');
  });

  it('stops counting once the case is closed', () => {
    expect(formatCountdown(at(-300), now, '2026-11-22T07:00:00.000Z')).toBe('已结案');
  });

  it('shows a dash without a deadline', () => {
    expect(formatCountdown(null, now)).toBe('—');
    expect(formatCountdown('not a date', now)).toBe('—');
  });
});
