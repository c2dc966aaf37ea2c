import { Badge, Button, Card, Descriptions, Empty, List, Space, Tag, Tooltip, Typography } from 'antd';
import { EyeOutlined, PhoneOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { unmask } from '../../api/citizens';
import type { ScreenPop } from '../../api/types';
import { stateColour } from '../../cases/stateColour';
import { t } from '../../i18n/zh-CN';
import { formatTime, pick } from '../../shared/format';
import type { StreamStatus } from './useScreenPop';

const statusBadge: Record<StreamStatus, { status: 'processing' | 'success' | 'error'; text: string }> = {
  connecting: { status: 'processing', text: t.screenPop.connecting },
  open: { status: 'success', text: t.screenPop.connected },
  error: { status: 'error', text: t.screenPop.reconnecting },
};

function CallerNumber({ pop }: { pop: ScreenPop }) {
  const [phone, setPhone] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const reveal = async () => {
    if (!pop.citizenId) return;
    setBusy(true);
    try {
      setPhone((await unmask(pop.citizenId)).phone);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space wrap>
      <Typography.Text strong style={{ fontSize: 18 }} data-testid="screenpop-caller">
        {phone ?? pop.callerMasked ?? t.common.none}
      </Typography.Text>
      {!phone && pop.citizenId && (
        <Tooltip title={t.screenPop.unmaskAudited}>
          <Button size="small" icon={<EyeOutlined />} loading={busy} onClick={reveal} data-testid="screenpop-unmask">
            {t.screenPop.unmask}
          </Button>
        </Tooltip>
      )}
      {phone && (
        <Tag color="orange" data-testid="screenpop-phone">
          {t.screenPop.unmasked}
        </Tag>
      )}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Space>
  );
}

export function ScreenPopPanel({
  pop,
  status,
  onClear,
}: {
  pop: ScreenPop | null;
  status: StreamStatus;
  onClear: () => void;
}) {
  const badge = statusBadge[status];
  return (
    <Card
      data-testid="screenpop-panel"
      data-call-id={pop?.callId ?? ''}
      title={
        <Space>
          <PhoneOutlined />
          {t.screenPop.title}
        </Space>
      }
      extra={<Badge status={badge.status} text={badge.text} data-testid="screenpop-status" data-status={status} />}
    >
      {!pop ? (
        <Empty description={t.screenPop.waiting} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <CallerNumber key={pop.callId} pop={pop} />
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t.screenPop.callId}>
              <span data-testid="screenpop-call-id">{pop.callId}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t.screenPop.at}>{formatTime(pop.at)}</Descriptions.Item>
          </Descriptions>
          <Typography.Text type="success">{t.screenPop.linked}</Typography.Text>
          {!!pop.filedCases?.length && (
            <Typography.Text data-testid="screenpop-filed">
              {t.screenPop.filedCases(pop.filedCases.length)}：{pop.filedCases.map((c) => c.caseNo).join('、')}
            </Typography.Text>
          )}
          <List
            size="small"
            header={<Typography.Text strong>{t.screenPop.pastCases}</Typography.Text>}
            locale={{ emptyText: t.screenPop.noPastCases }}
            dataSource={pop.pastCases ?? []}
            renderItem={(c) => (
              <List.Item data-testid="screenpop-past-case">
                <Space direction="vertical" size={0}>
                  <Space>
                    <Link to={`/cases/${c.id}`}>{c.caseNo}</Link>
                    <Tag color={stateColour[c.state]}>{c.state}</Tag>
                  </Space>
                  <Typography.Text type="secondary">
                    {c.title} · {formatTime(c.createdAt)}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
          <List
            size="small"
            header={<Typography.Text strong>{t.screenPop.openSurveys}</Typography.Text>}
            locale={{ emptyText: t.screenPop.noOpenSurveys }}
            dataSource={pop.openSurveys ?? []}
            renderItem={(s) => (
              <List.Item data-testid="screenpop-open-survey">
                <Space>
                  {s.caseId ? <Link to={`/cases/${s.caseId}`}>{s.caseNo ?? s.id}</Link> : (s.caseNo ?? s.id)}
                  <Typography.Text type="secondary">{pick(s, 'status') ?? ''}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
          <Button onClick={onClear} data-testid="screenpop-clear">
            {t.screenPop.clear}
          </Button>
        </Space>
      )}
    </Card>
  );
}
