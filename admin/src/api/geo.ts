import { api } from './client';
import type { ResponseOf } from './generated';

export type { MapCase, MapSettings, PlaceProposal } from './generated';
import type { MapCase, MapSettings, PlaceProposal } from './generated';
export type TileLayerSetting = MapSettings['layers'][number];

export const mapSettings = () => api.get<MapSettings>('/api/geo/settings');
export const searchPlaces = (q: string, signal?: AbortSignal) =>
  api.get<{ items: PlaceProposal[] }>('/api/geo/search', { q }, signal);
export const mapCases = () => api.get<{ items: MapCase[] }>('/api/geo/cases');
export const roads = () => api.get<ResponseOf<'GET /api/geo/roads'>>('/api/geo/roads');
