import { Empty, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { citizenTimeline } from '../api/citizens';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { formatTime, pick } from '../shared/format';
import { useRemote } from '../shared/useRemote';

/** Everything this citizen has done across channels: reports, calls, messages, surveys. */
export function CitizenHistory({ citizenId }: { citizenId: string | null | undefined }) {
  const remote = useRemote(
    async (signal) => (citizenId ? (await citizenTimeline(citizenId, signal)).items : []),
    [citizenId],
  );
  if (!citizenId) return <Empty description={t.caseDetail.noReporter} />;
  if (remote.error) return <ErrorAlert error={remote.error} onRetry={remote.reload} />;
  return (
    <List
      data-testid="citizen-history"
      loading={remote.loading}
      dataSource={remote.data ?? []}
      locale={{ emptyText: t.caseDetail.noHistory }}
      renderItem={(item) => {
        const caseId = item.caseId;
        const caseNo = item.type === 'call' ? null : item.caseNo;
        return (
          <List.Item data-testid="citizen-history-item" data-type={item.type}>
            <Space wrap>
              <Tag>{t.caseDetail.historyType[item.type] ?? item.type}</Tag>
              <Typography.Text type="secondary">{formatTime(item.at)}</Typography.Text>
              {caseId && caseNo ? <Link to={`/cases/${caseId}`}>{caseNo}</Link> : caseNo}
              {item.type === 'call' && item.direction && (
                <span>{t.caseDetail.callDirection[item.direction] ?? item.direction}</span>
              )}
              {item.type === 'report' && <Tag>{t.channels[item.channel] ?? item.channel}</Tag>}
              <span>{pick(item, 'text', 'note', 'result', 'title') ?? ''}</span>
            </Space>
          </List.Item>
        );
      }}
    />
  );
}
