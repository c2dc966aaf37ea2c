import { useEffect, useRef } from 'react';
import OlMap from 'ol/Map';
import View from 'ol/View';
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import TileLayer from 'ol/layer/Tile';
import VectorLayer from 'ol/layer/Vector';
import HeatmapLayer from 'ol/layer/Heatmap';
import XYZ from 'ol/source/XYZ';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { fromLonLat, toLonLat } from 'ol/proj';
import { Circle as CircleStyle, Fill, Stroke, Style, Text } from 'ol/style';
import type { FeatureLike } from 'ol/Feature';
import 'ol/ol.css';
import type { GridFeature, GridProperties } from '../api/types';
import { useMapSettings, useRoads } from './mapSettings';

export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  colour: string;
  overdue: boolean;
  /** Placed at its community's centre because the case has no point of its own. */
  approximate: boolean;
  title: string;
}

export interface WebMapProps {
  grids: GridFeature[];
  /** Fill colour per cell (a metric); without it cells are outlined only. */
  gridFill?: (p: GridProperties) => string;
  gridLabel?: (p: GridProperties) => string;
  selectedGridId?: number | null;
  points?: MapPoint[];
  heat?: boolean;
  marker?: { lat: number; lng: number } | null;
  /** Moves the view when it changes (an address found, a cell chosen in a list). */
  focus?: { lat: number; lng: number; zoom: number } | null;
  onPick?: (point: { lat: number; lng: number }) => void;
  onGridClick?: (id: number) => void;
  onPointClick?: (id: string) => void;
  height?: number;
  testId?: string;
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

/**
 * OpenLayers over the service's own tiles setting (none, 天地图 WMTS, any XYZ or WMTS server).
 * Stored points and 天地图 tiles are both WGS-84/CGCS2000, so nothing is shifted on the way.
 * The view's centre and resolution are mirrored in data- attributes for tests and tools.
 */
export default function WebMap({
  grids,
  gridFill,
  gridLabel = (p) => p.name,
  selectedGridId,
  points = [],
  heat = false,
  marker,
  focus,
  onPick,
  onGridClick,
  onPointClick,
  height = 420,
  testId = 'web-map',
}: WebMapProps) {
  const settings = useMapSettings();
  const roadLines = useRoads(settings?.layers.length === 0);
  const roadSource = useRef(new VectorSource());
  const target = useRef<HTMLDivElement>(null);
  const map = useRef<OlMap | null>(null);
  const gridSource = useRef(new VectorSource());
  const pointSource = useRef(new VectorSource());
  const markerSource = useRef(new VectorSource());
  const heatLayer = useRef<HeatmapLayer | null>(null);
  const handlers = useRef({ onPick, onGridClick, onPointClick });
  handlers.current = { onPick, onGridClick, onPointClick };
  const styleInputs = useRef({ gridFill, gridLabel, selectedGridId });
  styleInputs.current = { gridFill, gridLabel, selectedGridId };

  useEffect(() => {
    if (!target.current || !settings) return;
    const gridStyle = (f: FeatureLike, resolution: number) => {
      const p = f.getProperties() as GridProperties;
      const { gridFill: fill, gridLabel: label, selectedGridId: sel } = styleInputs.current;
      const selected = p.id === sel;
      return new Style({
        fill: new Fill({ color: fill ? fill(p) : selected ? 'rgba(22,119,255,0.15)' : 'rgba(255,255,255,0.01)' }),
        stroke: new Stroke({ color: selected ? '#1677ff' : '#595959', width: selected ? 3 : 1 }),
        text:
          resolution < 40
            ? new Text({
                text: label(p),
                font: '12px sans-serif',
                fill: new Fill({ color: '#262626' }),
                stroke: new Stroke({ color: '#fff', width: 3 }),
                overflow: false,
              })
            : undefined,
      });
    };
    const pointStyle = (f: FeatureLike) => {
      const p = f.get('point') as MapPoint;
      return new Style({
        image: new CircleStyle({
          radius: p.approximate ? 7 : 6,
          fill: p.approximate ? new Fill({ color: 'rgba(255,255,255,0.6)' }) : new Fill({ color: p.colour }),
          stroke: new Stroke({
            color: p.overdue ? '#cf1322' : p.colour,
            width: p.overdue ? 4 : 2,
            lineDash: p.approximate ? [3, 3] : undefined,
          }),
        }),
      });
    };
    heatLayer.current = new HeatmapLayer({ source: pointSource.current, blur: 18, radius: 12, visible: false });
    const m = new OlMap({
      target: target.current,
      layers: [
        ...settings.layers.map(
          (l) =>
            new TileLayer({
              source: new XYZ({ url: l.url, attributions: l.attribution || undefined }),
            }),
        ),
        new VectorLayer({ source: gridSource.current, style: gridStyle }),
        new VectorLayer({
          source: roadSource.current,
          // Streets only where they help place a point: from about 1:35 000 in.
          maxResolution: 10,
          style: (f) =>
            new Style({
              stroke: new Stroke({ color: '#bfbfbf', width: 8 }),
              text: new Text({
                text: f.get('name') as string,
                placement: 'line',
                font: '12px sans-serif',
                fill: new Fill({ color: '#434343' }),
                stroke: new Stroke({ color: '#fff', width: 3 }),
              }),
            }),
        }),
        heatLayer.current,
        new VectorLayer({ source: pointSource.current, style: pointStyle }),
        new VectorLayer({
          source: markerSource.current,
          style: new Style({
            image: new CircleStyle({
              radius: 8,
              fill: new Fill({ color: '#1677ff' }),
              stroke: new Stroke({ color: '#fff', width: 3 }),
            }),
          }),
        }),
      ],
      view: new View({ center: fromLonLat([120.19, 30.245]), zoom: 12, maxZoom: settings.maxZoom }),
    });
    const mirror = () => {
      const view = m.getView();
      const [lng, lat] = toLonLat(view.getCenter()!);
      const el = target.current!;
      el.dataset.centerLat = String(round7(lat));
      el.dataset.centerLng = String(round7(lng));
      el.dataset.zoom = String(view.getZoom());
      el.dataset.resolution = String(view.getResolution());
    };
    m.on('moveend', mirror);
    m.getView().on(['change:center', 'change:resolution'], mirror);
    mirror();
    m.on('singleclick', (e) => {
      const hit = m.forEachFeatureAtPixel(e.pixel, (f) => f, {
        layerFilter: (l) => l.getSource() === pointSource.current,
      });
      if (hit && handlers.current.onPointClick) return handlers.current.onPointClick((hit.get('point') as MapPoint).id);
      const [lng, lat] = toLonLat(e.coordinate);
      handlers.current.onPick?.({ lat: round7(lat), lng: round7(lng) });
      if (handlers.current.onGridClick) {
        const cell = gridSource.current.getFeaturesAtCoordinate(e.coordinate)[0];
        if (cell) handlers.current.onGridClick(cell.get('id') as number);
      }
    });
    map.current = m;
    return () => {
      m.setTarget(undefined);
      map.current = null;
    };
  }, [settings]);

  useEffect(() => {
    const source = gridSource.current;
    source.clear();
    source.addFeatures(
      geojson.readFeatures({ type: 'FeatureCollection', features: grids.filter((g) => g.geometry) }) as Feature[],
    );
    const extent = source.getExtent();
    if (map.current && grids.length && !focus && extent)
      map.current.getView().fit(extent, { padding: [16, 16, 16, 16] });
    // Fit once per set of cells, not on every focus change.
  }, [grids, settings]);

  useEffect(() => {
    roadSource.current.clear();
    if (roadLines) roadSource.current.addFeatures(geojson.readFeatures(roadLines) as Feature[]);
  }, [roadLines]);

  useEffect(() => {
    gridSource.current.changed();
  }, [gridFill, gridLabel, selectedGridId]);

  useEffect(() => {
    pointSource.current.clear();
    pointSource.current.addFeatures(
      points.map((p) => {
        const f = new Feature({ geometry: new Point(fromLonLat([p.lng, p.lat])), point: p });
        f.setId(p.id);
        return f;
      }),
    );
    // Without cells to frame (the public board), frame the points.
    const extent = pointSource.current.getExtent();
    if (map.current && extent && !grids.length && points.length && !focus)
      map.current.getView().fit(extent, { padding: [40, 40, 40, 40], maxZoom: 16 });
  }, [points, settings]);

  useEffect(() => {
    heatLayer.current?.setVisible(heat);
  }, [heat, settings]);

  useEffect(() => {
    markerSource.current.clear();
    if (marker) markerSource.current.addFeature(new Feature(new Point(fromLonLat([marker.lng, marker.lat]))));
  }, [marker]);

  useEffect(() => {
    if (focus && map.current) {
      map.current.getView().setCenter(fromLonLat([focus.lng, focus.lat]));
      map.current.getView().setZoom(focus.zoom);
    }
  }, [focus, settings]);

  return (
    <div
      ref={target}
      data-testid={testId}
      data-tiles={settings?.tiles ?? 'loading'}
      style={{ width: '100%', height, background: '#f5f5f5', borderRadius: 6, position: 'relative' }}
    />
  );
}
