import { Alert, Button, Space, Spin, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { searchPlaces, type PlaceProposal } from '../../api/geo';
import { useGridCells } from '../../catalog/catalogCache';
import { t } from '../../i18n/zh-CN';
import { cellAt } from '../../map/geometry';
import { useDebounced } from '../../shared/useDebounced';

// OpenLayers is loaded with the map, not with the desk: the form is usable before it arrives.
const WebMap = lazy(() => import('../../map/WebMap'));

export interface PickedLocation {
  lat: number;
  lng: number;
  gridId: number;
  gridName: string;
  /** How the point was chosen: a click on the map, or an address the gazetteer found. */
  source?: 'map' | 'address';
}

/**
 * The address typed moves the map to the place the gazetteer proposes and takes its point and
 * grid, until the agent clicks the map: then the point clicked is the location (to the metre at
 * full zoom, so the duplicate radius works).
 */
export function LocationPicker({
  value,
  onChange,
  address = '',
}: {
  value: PickedLocation | null;
  onChange: (value: PickedLocation | null) => void;
  address?: string;
}) {
  const cells = useGridCells();
  const query = useDebounced(address.trim(), 400);
  const [proposals, setProposals] = useState<PlaceProposal[] | null>(null);
  const [focus, setFocus] = useState<{ lat: number; lng: number; zoom: number } | null>(null);
  const [outside, setOutside] = useState(false);
  const manual = value?.source === 'map';

  const take = (p: PlaceProposal) => {
    setFocus({ lat: p.lat, lng: p.lng, zoom: 18 });
    if (p.grid) onChange({ lat: p.lat, lng: p.lng, gridId: p.grid.id, gridName: p.grid.name, source: 'address' });
  };

  useEffect(() => {
    if (query.length < 2) return setProposals(null);
    const controller = new AbortController();
    searchPlaces(query, controller.signal)
      .then((r) => {
        if (controller.signal.aborted) return;
        setProposals(r.items);
        if (r.items[0] && !manual) take(r.items[0]);
      })
      .catch(() => undefined);
    return () => controller.abort();
    // A new address is looked up once; a click on the map in between is not undone.
  }, [query]);

  const marker = useMemo(() => (value ? { lat: value.lat, lng: value.lng } : null), [value]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text
          data-testid="location-value"
          data-lat={value?.lat}
          data-lng={value?.lng}
          data-grid-id={value?.gridId}
          data-source={value?.source}
        >
          {value ? t.complaint.locationCell(value.gridName, value.lat, value.lng) : t.complaint.locationNone}
        </Typography.Text>
        {value && (
          <Button size="small" onClick={() => onChange(null)} data-testid="location-clear">
            {t.complaint.clearLocation}
          </Button>
        )}
      </Space>
      {proposals && (
        <Space wrap data-testid="address-matches">
          <Typography.Text type="secondary">{t.complaint.addressMatches}：</Typography.Text>
          {proposals.length === 0 && <Typography.Text type="secondary">{t.complaint.addressNoMatch}</Typography.Text>}
          {proposals.map((p) => (
            <Tag.CheckableTag
              key={p.label}
              checked={value?.source === 'address' && value.lat === p.lat && value.lng === p.lng}
              onChange={() => take(p)}
              data-testid="address-match"
              data-label={p.label}
            >
              {p.label}
              <Typography.Text type="secondary" style={{ marginLeft: 4, fontSize: 12 }}>
                {t.complaint.precision[p.precision]}
                {p.grid ? ` · ${p.grid.name}` : ''}
              </Typography.Text>
            </Tag.CheckableTag>
          ))}
        </Space>
      )}
      <Typography.Text type="secondary">{t.complaint.locationHint}</Typography.Text>
      {outside && <Alert type="warning" showIcon message={t.complaint.outsideGrids} data-testid="location-outside" />}
      <Suspense
        fallback={
          <Spin tip={t.map.loading}>
            <div style={{ height: 320 }} />
          </Spin>
        }
      >
        <WebMap
          testId="location-map"
          grids={cells}
          height={320}
          selectedGridId={value?.gridId}
          marker={marker}
          focus={focus}
          onPick={(point) => {
            const cell = cellAt(cells, point);
            setOutside(!cell);
            if (cell) onChange({ ...point, gridId: cell.properties.id, gridName: cell.properties.name, source: 'map' });
          }}
        />
      </Suspense>
    </Space>
  );
}
