import { Table, Tag } from 'antd';
import { departments } from '../api/catalog';
import { itemsOf } from '../api/lists';
import type { Department } from '../api/types';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { useRemote } from '../shared/useRemote';

export function DepartmentsTab() {
  const remote = useRemote(async () => itemsOf(await departments()), []);
  return (
    <>
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<Department>
        rowKey="id"
        size="small"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        pagination={false}
        onRow={(d) =>
          ({ 'data-testid': 'department-row', 'data-department-id': d.id }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: 'ID', dataIndex: 'id', width: 60 },
          { title: t.system.deptCode, dataIndex: 'code' },
          { title: t.system.deptName, dataIndex: 'name' },
          {
            title: t.system.delivery,
            render: (_, d) => t.system.deliveryLabels[d.delivery ?? ''] ?? d.delivery ?? t.common.none,
          },
          { title: t.system.agency, render: (_, d) => d.agency ?? t.common.none },
          {
            title: t.system.active,
            render: (_, d) => (d.active === false ? <Tag>{t.common.no}</Tag> : <Tag color="green">{t.common.yes}</Tag>),
          },
        ]}
      />
    </>
  );
}
