import { Button, Space, Typography } from 'antd';
import { useGridCells } from '../../catalog/catalogCache';
import { t } from '../../i18n/zh-CN';
import { GridMap } from '../../map/GridMap';

export interface PickedLocation {
  lat: number;
  lng: number;
  gridId: number;
  gridName: string;
}

/** A click on the map takes the point clicked (the cell's centroid from the keyboard) as the report's location. */
export function LocationPicker({
  value,
  onChange,
}: {
  value: PickedLocation | null;
  onChange: (value: PickedLocation | null) => void;
}) {
  const cells = useGridCells();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text data-testid="location-value" data-lat={value?.lat} data-lng={value?.lng}>
          {value ? t.complaint.locationCell(value.gridName, value.lat, value.lng) : t.complaint.locationNone}
        </Typography.Text>
        {value && (
          <Button size="small" onClick={() => onChange(null)} data-testid="location-clear">
            {t.complaint.clearLocation}
          </Button>
        )}
      </Space>
      <Typography.Text type="secondary">{t.complaint.locationHint}</Typography.Text>
      <GridMap
        testId="location-map"
        features={cells}
        selectedId={value?.gridId}
        width={600}
        maxHeight={280}
        tooltip={(p) => p.name}
        onSelect={(f, point) => onChange({ ...point, gridId: f.properties.id, gridName: f.properties.name })}
      />
    </Space>
  );
}
