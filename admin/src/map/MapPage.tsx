import { Card, Col, Descriptions, Empty, List, Row, Segmented, Space, Spin, Switch, Typography } from 'antd';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { grids } from '../api/catalog';
import { mapCases } from '../api/geo';
import type { GridFeature, GridProperties } from '../api/types';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { useRemote } from '../shared/useRemote';
import { stateHex } from '../cases/stateColour';
import { MapLegend } from './MapLegend';
import { centroid, colourFor } from './geometry';
import type { MapPoint } from './WebMap';

const WebMap = lazy(() => import('./WebMap'));

type Metric = 'open' | 'overdue';

export default function MapPage() {
  const navigate = useNavigate();
  const remote = useRemote(() => grids(), []);
  const caseRemote = useRemote(() => mapCases(), []);
  const [metricName, setMetricName] = useState<Metric>('open');
  const [heat, setHeat] = useState(false);
  const [selected, setSelected] = useState<GridFeature | null>(null);
  const [focus, setFocus] = useState<{ lat: number; lng: number; zoom: number } | null>(null);
  const features = useMemo(() => remote.data?.features ?? [], [remote.data]);
  const metric = useCallback(
    (p: GridProperties) => (metricName === 'open' ? p.openCases : p.overdueCases) ?? 0,
    [metricName],
  );
  const max = Math.max(0, ...features.map((f) => metric(f.properties)));
  const fill = useCallback((p: GridProperties) => colourFor(metric(p), max) + 'b3', [metric, max]);
  const label = metricName === 'open' ? t.map.metricOpen : t.map.metricOverdue;
  const points = useMemo<MapPoint[]>(
    () =>
      (caseRemote.data?.items ?? []).map((c) => ({
        id: c.id,
        lat: c.lat,
        lng: c.lng,
        colour: stateHex[c.state] ?? '#595959',
        overdue: c.overdue,
        approximate: c.approximate,
        title: `${c.caseNo} ${c.state}`,
      })),
    [caseRemote.data],
  );
  const select = (f: GridFeature | undefined, zoom = false) => {
    if (!f) return;
    setSelected(f);
    if (zoom) setFocus({ ...centroid(f), zoom: 15 });
  };

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
              <Space>
                <span>
                  {t.map.heat} <Switch size="small" checked={heat} onChange={setHeat} data-testid="map-heat" />
                </span>
                <Segmented
                  data-testid="map-metric"
                  value={metricName}
                  onChange={(v) => setMetricName(v as Metric)}
                  options={[
                    { value: 'open', label: t.map.metricOpen },
                    { value: 'overdue', label: t.map.metricOverdue },
                  ]}
                />
              </Space>
            }
          >
            <Spin spinning={remote.loading}>
              {features.length ? (
                <Suspense fallback={<div style={{ height: 560 }}>{t.map.loading}</div>}>
                  <WebMap
                    testId="grid-map"
                    grids={features}
                    gridFill={fill}
                    gridLabel={(p) => `${p.name}\n${metric(p)}`}
                    selectedGridId={selected?.properties.id}
                    points={points}
                    heat={heat}
                    focus={focus}
                    height={560}
                    onGridClick={(id) => select(features.find((f) => f.properties.id === id))}
                    onPointClick={(id) => navigate(`/cases/${id}`)}
                  />
                </Suspense>
              ) : (
                !remote.loading && <Empty description={t.map.empty} />
              )}
            </Spin>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t.map.approximate}；{t.map.overdueRing}
            </Typography.Paragraph>
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
            <Card title={t.map.cellList} size="small" bodyStyle={{ maxHeight: 300, overflow: 'auto', padding: 0 }}>
              <List
                size="small"
                data-testid="grid-list"
                dataSource={features}
                renderItem={(f) => (
                  <List.Item
                    data-testid="grid-cell"
                    data-grid-id={f.properties.id}
                    data-grid-name={f.properties.name}
                    data-value={metric(f.properties)}
                    style={{ cursor: 'pointer', paddingInline: 12 }}
                    onClick={() => select(f, true)}
                  >
                    <span>{f.properties.name}</span>
                    <span>{metric(f.properties)}</span>
                  </List.Item>
                )}
              />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
