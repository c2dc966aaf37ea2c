import { Space, Typography } from 'antd';
import { t } from '../i18n/zh-CN';
import { legendSteps } from './geometry';

export function MapLegend({ max, label }: { max: number; label: string }) {
  return (
    <div data-testid="map-legend">
      <Typography.Text strong>
        {t.map.legend}：{label}
      </Typography.Text>
      <Space wrap size={12} style={{ marginTop: 8, display: 'flex' }}>
        {legendSteps(max).map((s) => (
          <Space key={s.colour} size={4}>
            <span
              style={{
                display: 'inline-block',
                width: 18,
                height: 12,
                background: s.colour,
                border: '1px solid #d9d9d9',
              }}
            />
            <span>{s.from === s.to ? s.from : `${s.from}–${s.to}`}</span>
          </Space>
        ))}
      </Space>
    </div>
  );
}
