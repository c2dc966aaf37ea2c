import type { DeadlineStatus } from '../api/types';
import { t } from '../i18n/zh-CN';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * "剩余 X 小时" / "已超期 X 小时" from the deadline the server computed (working-hour
 * calendars are already folded into deadlineAt); under an hour it counts minutes.
 */
export function formatCountdown(deadlineAt: string | null | undefined, now: number, closedAt?: string | null): string {
  if (closedAt) return t.countdown.closed;
  if (!deadlineAt) return t.countdown.none;
  const deadline = Date.parse(deadlineAt);
  if (Number.isNaN(deadline)) return t.countdown.none;
  const diff = deadline - now;
  const abs = Math.abs(diff);
  if (diff >= 0) {
    return abs >= HOUR
      ? t.countdown.remainingHours(Math.floor(abs / HOUR))
      : t.countdown.remainingMinutes(Math.floor(abs / MINUTE));
  }
  return abs >= HOUR
    ? t.countdown.overdueHours(Math.floor(abs / HOUR))
    : t.countdown.overdueMinutes(Math.max(1, Math.floor(abs / MINUTE)));
}

/** The colour follows the server's deadlineStatus, not the browser clock. */
export const statusColour: Record<DeadlineStatus, string> = {
  正常: 'green',
  即将超期: 'orange',
  已超期: 'red',
};
