import { Alert, List, Space, Tag, Typography } from 'antd';
import type { NearbyCase } from '../../api/reports';
import { stateColour } from '../../cases/stateColour';
import { t } from '../../i18n/zh-CN';
import { formatTime } from '../../shared/format';

export function DuplicateWarning({ items }: { items: NearbyCase[] }) {
  if (!items.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="duplicate-warning"
      style={{ marginBottom: 12 }}
      message={t.complaint.duplicateTitle}
      description={
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            {t.complaint.duplicateHint}
          </Typography.Paragraph>
          <List
            size="small"
            dataSource={items}
            renderItem={(c) => (
              <List.Item data-testid="duplicate-item" data-case-no={c.caseNo}>
                <Space wrap>
                  {/* A new tab, so the half-filled form stays as it is. */}
                  <a href={`${import.meta.env.BASE_URL}cases/${c.id}`} target="_blank" rel="noreferrer">
                    {c.caseNo}
                  </a>
                  <Tag color={stateColour[c.state]}>{c.state}</Tag>
                  <span>{c.title}</span>
                  {c.distanceM !== undefined && <Tag>{t.complaint.distance(c.distanceM)}</Tag>}
                  <Typography.Text type="secondary">
                    {c.address} · {formatTime(c.createdAt)}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </>
      }
    />
  );
}
