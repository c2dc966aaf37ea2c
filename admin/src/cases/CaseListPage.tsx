import { Button, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { casesCsvUrl, listCases } from '../api/cases';
import type { CaseSummary } from '../api/types';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { useNow } from '../shared/useNow';
import { useRemote } from '../shared/useRemote';
import { CaseFilterBar } from './CaseFilterBar';
import { filtersFromParams, pageFromParams, withFilters } from './caseFilters';
import { caseTailColumns } from './caseColumns';

export default function CaseListPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = filtersFromParams(params);
  const { page, pageSize } = pageFromParams(params);
  const now = useNow();
  const remote = useRemote((signal) => listCases({ ...filters, page, pageSize }, signal), [params.toString()]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t.cases.title}
        </Typography.Title>
        <Space>
          <Button onClick={remote.reload} data-testid="cases-reload">
            {t.common.reload}
          </Button>
          <Button href={casesCsvUrl({ ...filters })} download icon={<DownloadOutlined />} data-testid="cases-export">
            {t.common.exportCsv}
          </Button>
        </Space>
      </Space>
      <CaseFilterBar
        filters={filters}
        onChange={(patch) => setParams(withFilters(params, patch))}
        onReset={() => setParams(new URLSearchParams())}
      />
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<CaseSummary>
        data-testid="case-table"
        rowKey="id"
        size="middle"
        loading={remote.loading}
        dataSource={remote.data?.items ?? []}
        locale={{ emptyText: t.cases.empty }}
        scroll={{ x: 1350 }}
        onRow={(c) =>
          ({
            'data-testid': 'case-row',
            'data-case-no': c.caseNo,
            'data-case-id': c.id,
            onDoubleClick: () => navigate(`/cases/${c.id}`),
          }) as React.HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: remote.data?.page ?? page,
          pageSize: remote.data?.pageSize ?? pageSize,
          total: remote.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t.common.total(n),
          onChange: (p, size) => {
            const next = new URLSearchParams(params);
            next.set('page', String(size !== pageSize ? 1 : p));
            next.set('pageSize', String(size));
            setParams(next);
          },
        }}
        columns={[
          {
            title: t.cases.caseNo,
            width: 170,
            render: (_, c) => (
              <Link to={`/cases/${c.id}`} data-testid="case-link">
                {c.caseNo}
              </Link>
            ),
          },
          {
            title: t.cases.caseTitle,
            width: 280,
            ellipsis: true,
            render: (_, c) => (
              <Space size={4}>
                <span>{c.title}</span>
                {c.needsReview && <Tag color="orange">{t.cases.needsReview}</Tag>}
                {c.duplicateCount > 0 && <Tag>{t.cases.duplicates(c.duplicateCount)}</Tag>}
                {c.reworkCount > 0 && <Tag color="red">{t.cases.reworks(c.reworkCount)}</Tag>}
              </Space>
            ),
          },
          { title: t.cases.category, width: 140, render: (_, c) => c.category?.name ?? t.common.none },
          ...caseTailColumns<CaseSummary>(now, [
            { title: t.cases.channel, width: 100, render: (_, c) => t.channels[c.channel] ?? c.channel },
          ]),
        ]}
      />
    </Space>
  );
}
