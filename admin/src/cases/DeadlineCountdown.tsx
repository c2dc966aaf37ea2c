import { Tag } from 'antd';
import type { DeadlineStatus } from '../api/types';
import { formatCountdown, statusColour } from './countdown';

export function DeadlineCountdown({
  deadlineAt,
  deadlineStatus,
  closedAt,
  now,
}: {
  deadlineAt: string | null;
  deadlineStatus: DeadlineStatus;
  closedAt?: string | null;
  now: number;
}) {
  return (
    <Tag
      color={closedAt ? 'default' : (statusColour[deadlineStatus] ?? 'default')}
      data-testid="deadline-countdown"
      data-status={deadlineStatus}
    >
      {formatCountdown(deadlineAt, now, closedAt)}
    </Tag>
  );
}
