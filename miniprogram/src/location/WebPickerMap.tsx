import { useEffect, useRef } from 'react';
import OlMap from 'ol/Map';
import View from 'ol/View';
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import TileLayer from 'ol/layer/Tile';
import VectorLayer from 'ol/layer/Vector';
import XYZ from 'ol/source/XYZ';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import Translate from 'ol/interaction/Translate';
import { fromLonLat, toLonLat } from 'ol/proj';
import { Circle as CircleStyle, Fill, Stroke, Style, Text } from 'ol/style';
import 'ol/ol.css';
import { citizenApi } from '../api/citizen';
import type { LatLng, MapSettings } from '../api/types';
import type { PickerMapProps } from './PickerMap';

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const none: MapSettings = { tiles: 'none', layers: [], datum: 'wgs84', maxZoom: 20 };
let settingsLoaded: Promise<MapSettings> | null = null;

function toLatLng(coordinate: number[]): LatLng {
  const [lng, lat] = toLonLat(coordinate);
  return { lat: round7(lat), lng: round7(lng) };
}

/**
 * The browser's map: OpenLayers over the tiles the service is set to (MAP_TILES, the console's
 * setting read from /api/geo/settings), or the gazetteer's roads when there are none. Tiles and
 * stored points are both WGS-84 (天地图's CGCS2000), so nothing is shifted. A tap drops the pin,
 * the pin can be dragged; the view is mirrored in data- attributes for tests.
 */
export default function WebPickerMap({ centre, picked, onPick }: PickerMapProps) {
  const target = useRef<HTMLDivElement>(null);
  const map = useRef<OlMap | null>(null);
  const pin = useRef(new Feature<Point>());
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  // The settings arrive after the first render: the map opens where the view is by then.
  const centreRef = useRef(centre);
  centreRef.current = centre;

  useEffect(() => {
    let live = true;
    settingsLoaded ??= citizenApi.mapSettings().catch(() => ((settingsLoaded = null), none));
    void settingsLoaded.then((settings) => {
      if (!live || !target.current) return;
      const roads = new VectorSource();
      const pins = new VectorSource({ features: [pin.current] });
      const m = new OlMap({
        target: target.current,
        layers: [
          ...settings.layers.map(
            (l) => new TileLayer({ source: new XYZ({ url: l.url, attributions: l.attribution || undefined }) }),
          ),
          new VectorLayer({
            source: roads,
            style: (f) =>
              new Style({
                stroke: new Stroke({ color: '#c9ced6', width: 8 }),
                text: new Text({
                  text: f.get('name') as string,
                  placement: 'line',
                  font: '12px sans-serif',
                  fill: new Fill({ color: '#434343' }),
                  stroke: new Stroke({ color: '#fff', width: 3 }),
                }),
              }),
          }),
          new VectorLayer({
            source: pins,
            style: new Style({
              image: new CircleStyle({
                radius: 9,
                fill: new Fill({ color: '#1763d8' }),
                stroke: new Stroke({ color: '#fff', width: 3 }),
              }),
            }),
          }),
        ],
        view: new View({
          center: fromLonLat([centreRef.current.lng, centreRef.current.lat]),
          zoom: 17,
          maxZoom: settings.maxZoom,
        }),
      });
      const mirror = () => {
        const view = m.getView();
        const c = toLatLng(view.getCenter()!);
        const el = target.current;
        if (!el) return;
        el.dataset.centerLat = String(c.lat);
        el.dataset.centerLng = String(c.lng);
        el.dataset.resolution = String(view.getResolution());
      };
      m.getView().on(['change:center', 'change:resolution'], mirror);
      mirror();
      m.on('singleclick', (e) => onPickRef.current(toLatLng(e.coordinate)));
      const dragPin = new Translate({ filter: (f) => f === pin.current, hitTolerance: 12 });
      dragPin.on('translateend', () => {
        const g = pin.current.getGeometry();
        if (g) onPickRef.current(toLatLng(g.getCoordinates()));
      });
      m.addInteraction(dragPin);
      if (!settings.layers.length)
        citizenApi
          .roads()
          .then((r) => live && roads.addFeatures(new GeoJSON({ featureProjection: 'EPSG:3857' }).readFeatures(r)))
          .catch(() => undefined);
      map.current = m;
    });
    return () => {
      live = false;
      map.current?.setTarget(undefined);
      map.current = null;
    };
    // The map is made once; later centres and pins are applied by the effects below.
  }, []);

  useEffect(() => {
    map.current?.getView().setCenter(fromLonLat([centre.lng, centre.lat]));
  }, [centre.lat, centre.lng]);

  useEffect(() => {
    pin.current.setGeometry(picked ? new Point(fromLonLat([picked.lng, picked.lat])) : undefined);
  }, [picked?.lat, picked?.lng]);

  return <div ref={target} id="picker-map" className="picker-map" data-datum="wgs84" />;
}
