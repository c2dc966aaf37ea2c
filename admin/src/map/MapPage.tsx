import { Card, Col, Descriptions, Empty, Row, Segmented, Space, Spin, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { grids } from '../api/catalog';
import type { GridFeature, GridProperties } from '../api/types';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { useRemote } from '../shared/useRemote';
import { GridMap } from './GridMap';
import { MapLegend } from './MapLegend';

type Metric = 'open' | 'overdue';

export default function MapPage() {
  const remote = useRemote(() => grids(), []);
  const [metricName, setMetricName] = useState<Metric>('open');
  const [selected, setSelected] = useState<GridFeature | null>(null);
  const features = useMemo(() => remote.data?.features ?? [], [remote.data]);
  const metric = useCallback(
    (p: GridProperties) => (metricName === 'open' ? p.openCases : p.overdueCases) ?? 0,
    [metricName],
  );
  const max = Math.max(0, ...features.map((f) => metric(f.properties)));
  const label = metricName === 'open' ? t.map.metricOpen : t.map.metricOverdue;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t.map.title}
      </Typography.Title>
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Row gutter={16}>
        <Col xs={24} lg={17}>
          <Card
            extra={
              <Segmented
                data-testid="map-metric"
                value={metricName}
                onChange={(v) => setMetricName(v as Metric)}
                options={[
                  { value: 'open', label: t.map.metricOpen },
                  { value: 'overdue', label: t.map.metricOverdue },
                ]}
              />
            }
          >
            <Spin spinning={remote.loading}>
              {features.length ? (
                <GridMap
                  features={features}
                  metric={metric}
                  selectedId={selected?.properties.id}
                  onSelect={(f) => setSelected(f)}
                  tooltip={(p) => (
                    <>
                      {p.name} · {t.map.open} {p.openCases ?? 0} · {t.map.overdue} {p.overdueCases ?? 0}
                    </>
                  )}
                />
              ) : (
                !remote.loading && <Empty description={t.map.empty} />
              )}
            </Spin>
          </Card>
        </Col>
        <Col xs={24} lg={7}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Card>
              <MapLegend max={max} label={label} />
            </Card>
            <Card title={t.map.cell} data-testid="map-cell-detail">
              {selected ? (
                <>
                  <Descriptions column={1} size="small">
                    <Descriptions.Item label={t.map.cell}>{selected.properties.name}</Descriptions.Item>
                    <Descriptions.Item label={t.map.metricOpen}>{selected.properties.openCases ?? 0}</Descriptions.Item>
                    <Descriptions.Item label={t.map.metricOverdue}>
                      {selected.properties.overdueCases ?? 0}
                    </Descriptions.Item>
                  </Descriptions>
                  <Link to={`/cases?areaId=${selected.properties.id}`} data-testid="map-view-cases">
                    {t.map.viewCases}
                  </Link>
                </>
              ) : (
                <Typography.Text type="secondary">{t.map.selectHint}</Typography.Text>
              )}
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
