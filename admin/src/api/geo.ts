import { api } from './client';

export interface TileLayerSetting {
  url: string;
  attribution: string;
}

export interface MapSettings {
  tiles: 'none' | 'tianditu' | 'xyz' | 'wmts';
  layers: TileLayerSetting[];
  datum: 'wgs84';
  maxZoom: number;
}

export interface PlaceProposal {
  label: string;
  precision: 'house' | 'intersection' | 'poi' | 'landmark' | 'community' | 'road';
  lat: number;
  lng: number;
  score: number;
  grid: { id: number; name: string } | null;
  areaNames: string[];
}

export interface MapCase {
  id: string;
  caseNo: string;
  state: string;
  categoryCode: string | null;
  lat: number;
  lng: number;
  overdue: boolean;
  approximate: boolean;
}

export const mapSettings = () => api.get<MapSettings>('/api/geo/settings');
export const searchPlaces = (q: string, signal?: AbortSignal) =>
  api.get<{ items: PlaceProposal[] }>('/api/geo/search', { q }, signal);
export const mapCases = () => api.get<{ items: MapCase[] }>('/api/geo/cases');
export const roads = () =>
  api.get<{ type: 'FeatureCollection'; features: Array<{ geometry: unknown; properties: { name: string } }> }>(
    '/api/geo/roads',
  );
