import { Button, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { getInbox, type InboxPage as Inbox } from '../api/inboxes';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { useNow } from '../shared/useNow';
import { useRemote } from '../shared/useRemote';
import { caseTailColumns } from '../cases/caseColumns';

type Row = Inbox['items'][number];

/** One work list (待派遣, 待签收 …), the nearest deadline first; a row opens the case with its actions. */
export default function InboxPage() {
  const { name = '' } = useParams();
  const navigate = useNavigate();
  const now = useNow();
  const remote = useRemote((signal) => getInbox(name, signal), [name]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="inbox-title">
          {remote.data?.label ?? t.inbox.title}
        </Typography.Title>
        <Button onClick={remote.reload} data-testid="inbox-reload">
          {t.common.reload}
        </Button>
      </Space>
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<Row>
        data-testid="inbox-table"
        rowKey="id"
        size="middle"
        loading={remote.loading}
        dataSource={remote.data?.items ?? []}
        locale={{ emptyText: t.inbox.empty }}
        pagination={false}
        scroll={{ x: 1100 }}
        onRow={(c) =>
          ({
            'data-testid': 'inbox-row',
            'data-case-no': c.caseNo,
            onDoubleClick: () => navigate(`/cases/${c.id}`),
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t.cases.caseNo,
            width: 170,
            render: (_, c) => (
              <Link to={`/cases/${c.id}`} data-testid="inbox-case-link">
                {c.caseNo}
              </Link>
            ),
          },
          {
            title: t.cases.caseTitle,
            width: 260,
            ellipsis: true,
            render: (_, c) => (
              <Space size={4}>
                {c.priority === '紧急' && <Tag color="red">{t.inbox.urgent}</Tag>}
                <span>{c.title}</span>
                {(c.urgeCount ?? 0) > 0 && <Tag color="volcano">{t.inbox.urged(c.urgeCount ?? 0)}</Tag>}
                {c.reworkCount > 0 && <Tag color="red">{t.cases.reworks(c.reworkCount)}</Tag>}
              </Space>
            ),
          },
          ...caseTailColumns<Row>(now),
        ]}
      />
    </Space>
  );
}
