import { Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { CaseSummary } from '../api/types';
import { t } from '../i18n/zh-CN';
import { areaLabel, formatTime } from '../shared/format';
import { DeadlineCountdown } from './DeadlineCountdown';
import { stateColour } from './stateColour';

/** The columns every case table shows after its own: state, place, department, deadline, received. */
export function caseTailColumns<T extends CaseSummary>(now: number, extra: ColumnsType<T> = []): ColumnsType<T> {
  return [
    {
      title: t.cases.state,
      width: 90,
      render: (_, c) => (
        <Tag color={stateColour[c.state]} data-testid="case-state">
          {c.state}
        </Tag>
      ),
    },
    ...extra,
    { title: t.cases.area, width: 150, render: (_, c) => areaLabel(c.area) },
    { title: t.cases.department, width: 140, render: (_, c) => c.department?.name ?? t.common.none },
    {
      title: t.cases.deadline,
      width: 130,
      render: (_, c) => (
        <DeadlineCountdown
          deadlineAt={c.deadlineAt}
          deadlineStatus={c.deadlineStatus}
          closedAt={c.closedAt}
          now={now}
        />
      ),
    },
    { title: t.cases.createdAt, width: 150, render: (_, c) => formatTime(c.createdAt) },
  ];
}
