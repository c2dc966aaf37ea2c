// Shapes of the "Citizens (mini-program)" section of docs/api.md.

export interface Session {
  token: string;
  expiresAt: string;
}

export interface CodeName {
  code: string;
  name: string;
}

export interface LatLng {
  lat: number;
  lng: number;
}

export interface CategoryNode extends CodeName {
  kind?: string;
  children?: CodeName[];
}

export interface Classification {
  kind?: string;
  major: CodeName | null;
  minor: CodeName | null;
  confidence: number;
  alternatives?: Array<CodeName & { kind?: string; confidence: number }>;
  needsReview?: boolean;
  transfer?: { agency: string };
}

export interface Upload {
  id: string;
  url: string;
  thumbUrl: string;
  gps: LatLng | null;
}

export interface ReportInput {
  idempotencyKey: string;
  text: string;
  categoryCode?: string;
  location?: LatLng;
  address?: string;
  photos?: string[];
}

export interface ReportCreated {
  caseNo: string;
  caseId: string;
  state: string;
  duplicate: boolean;
}

export interface MyReport {
  caseNo: string;
  title: string;
  state: string;
  category: CodeName | null;
  address: string | null;
  createdAt: string;
  thumbUrl: string | null;
  surveyPending: boolean;
}

export interface Photo {
  url: string;
  thumbUrl: string;
}

export interface TimelineEntry {
  at: string;
  label: string;
  note?: string | null;
}

export interface ReportDetail {
  caseNo: string;
  state: string;
  category: CodeName | null;
  description: string;
  address: string | null;
  location: LatLng | null;
  createdAt: string;
  photos: Photo[];
  afterPhotos: Photo[];
  reply: string | null;
  timeline: TimelineEntry[];
  survey: { pending: boolean; result?: string | null };
}

export type SurveyResult = '满意' | '基本满意' | '不满意';

export interface PublicCase {
  caseNo: string;
  state: string;
  category: CodeName | null;
  address: string | null;
  createdAt: string;
  timeline: Array<{ at: string; label: string }>;
}

export interface NearbyCase {
  caseNo: string;
  category: CodeName | null;
  state: string;
  address: string | null;
  closedAt: string | null;
}

/** A point said in words by /api/geo/reverse: the nearest named place, district → grid, and the grid. */
export interface DescribedPlace {
  label: string | null;
  areaNames: string[];
  grid: { id: number; name: string } | null;
}

/** One address the gazetteer proposes for what was typed (/api/geo/search), in the stored datum. */
export interface PlaceProposal extends LatLng {
  label: string;
  precision: string;
  score: number;
  grid: { id: number; name: string } | null;
  areaNames: string[];
}

/** The service's tile setting (/api/geo/settings): XYZ templates in the stored datum, none for grids only. */
export interface MapSettings {
  tiles: 'none' | 'tianditu' | 'xyz' | 'wmts';
  layers: Array<{ url: string; attribution: string }>;
  datum: 'wgs84';
  maxZoom: number;
}

export interface RoadLines {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: unknown; properties: { name: string } }>;
}
