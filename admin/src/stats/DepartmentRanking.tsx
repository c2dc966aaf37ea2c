import { Table } from 'antd';
import type { Stats } from '../api/types';
import { t } from '../i18n/zh-CN';
import { formatRate } from '../shared/format';

type Row = Stats['departments'][number];

/** 考评 ranking in the server's order (by its score); the console computes nothing here. */
export function DepartmentRanking({ rows }: { rows: Row[] }) {
  return (
    <Table<Row>
      data-testid="department-ranking"
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: t.stats.noData }}
      onRow={(r) => ({ 'data-testid': 'ranking-row', 'data-department-id': r.id }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t.stats.rank, width: 60, render: (_, __, i) => i + 1 },
        { title: t.stats.deptName, dataIndex: 'name' },
        { title: t.stats.deptReceived, dataIndex: 'received', sorter: (a, b) => a.received - b.received },
        { title: t.stats.deptClosed, dataIndex: 'closed', sorter: (a, b) => a.closed - b.closed },
        { title: t.stats.onTimeRate, render: (_, r) => formatRate(r.onTimeRate) },
        { title: t.stats.satisfactionRate, render: (_, r) => formatRate(r.satisfactionRate) },
        { title: t.stats.reworkRate, render: (_, r) => formatRate(r.reworkRate) },
        {
          title: t.stats.score,
          render: (_, r) => (r.score === null || r.score === undefined ? t.common.none : r.score.toFixed(1)),
        },
      ]}
    />
  );
}
