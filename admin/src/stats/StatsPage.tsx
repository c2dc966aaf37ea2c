import { Button, Card, Col, DatePicker, Empty, Row, Space, Spin, Statistic, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { casesCsvUrl } from '../api/cases';
import { getStats, statsCsvUrl, type StatsFilters } from '../api/stats';
import { DepartmentSelect, GridSelect } from '../catalog/Selects';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { formatRate } from '../shared/format';
import { useRemote } from '../shared/useRemote';
import { categoryOption, channelOption, dayOption } from './chartOptions';
import { DepartmentRanking } from './DepartmentRanking';
import { EChart } from './EChart';

/** The rates as the API names them, with a stable hook for each. */
const RATES: Array<{ key: string; testId: string }> = [
  { key: '结案率', testId: 'rate-closed' },
  { key: '按期结案率', testId: 'rate-on-time' },
  { key: '满意率', testId: 'rate-satisfied' },
  { key: '回访率', testId: 'rate-surveyed' },
  { key: '返工率', testId: 'rate-rework' },
];

export default function StatsPage() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const [areaId, setAreaId] = useState<number>();
  const [departmentId, setDepartmentId] = useState<number>();

  const filters: StatsFilters = useMemo(
    () => ({
      from: range[0].format('YYYY-MM-DD'),
      to: range[1].format('YYYY-MM-DD'),
      areaId: areaId === undefined ? undefined : String(areaId),
      departmentId: departmentId === undefined ? undefined : String(departmentId),
    }),
    [range, areaId, departmentId],
  );
  const remote = useRemote((signal) => getStats(filters, signal), [filters]);
  const stats = remote.data;
  const options = useMemo(
    () =>
      stats && {
        channel: channelOption(stats.byChannel ?? []),
        day: dayOption(stats.byDay ?? []),
        category: categoryOption(stats.byCategory ?? []),
      },
    [stats],
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t.stats.title}
        </Typography.Title>
        <Space wrap>
          <DatePicker.RangePicker
            data-testid="stats-range"
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v?.[1] && setRange([v[0], v[1]])}
          />
          <GridSelect testId="stats-area" placeholder={t.stats.area} value={areaId} onChange={setAreaId} />
          <DepartmentSelect
            testId="stats-department"
            placeholder={t.stats.department}
            value={departmentId}
            onChange={setDepartmentId}
          />
          <Button href={statsCsvUrl(filters)} download icon={<DownloadOutlined />} data-testid="stats-export">
            {t.stats.exportFigures}
          </Button>
          <Button
            href={casesCsvUrl({ ...filters })}
            download
            icon={<DownloadOutlined />}
            data-testid="stats-export-cases"
          >
            {t.stats.exportList}
          </Button>
        </Space>
      </Space>
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Spin spinning={remote.loading}>
        <Row gutter={[16, 16]}>
          <Col xs={12} md={8} xl={4}>
            <Card>
              <Statistic title={t.stats.received} value={stats?.totals.received ?? 0} data-testid="total-received" />
            </Card>
          </Col>
          {RATES.map((r) => (
            <Col key={r.key} xs={12} md={8} xl={4}>
              <Card>
                <Statistic title={r.key} value={formatRate(stats?.rates?.[r.key])} data-testid={r.testId} />
              </Card>
            </Col>
          ))}
          <Col xs={24} lg={8}>
            <Card title={t.stats.byChannel}>
              {options && stats?.byChannel?.length ? (
                <EChart option={options.channel} testId="chart-channel" />
              ) : (
                <Empty description={t.stats.noData} />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card title={t.stats.byDay}>
              {options && stats?.byDay?.length ? (
                <EChart option={options.day} testId="chart-day" />
              ) : (
                <Empty description={t.stats.noData} />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card title={t.stats.byCategory}>
              {options && stats?.byCategory?.length ? (
                <EChart option={options.category} height={420} testId="chart-category" />
              ) : (
                <Empty description={t.stats.noData} />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card title={t.stats.ranking}>
              <DepartmentRanking rows={stats?.departments ?? []} />
            </Card>
          </Col>
        </Row>
      </Spin>
    </Space>
  );
}
