import { ApiError, http, type HttpOptions } from './http';
import { dropSession, ensureToken } from '../auth/session';
import type {
  CategoryNode,
  Classification,
  DescribedPlace,
  LatLng,
  MapSettings,
  MyReport,
  NearbyCase,
  PlaceProposal,
  PublicCase,
  ReportCreated,
  ReportDetail,
  ReportInput,
  RoadLines,
  SurveyResult,
} from './types';

/** Calls an endpoint as the citizen; a token the server no longer accepts is renewed once. */
export async function asCitizen<T>(method: 'GET' | 'POST', path: string, opts: HttpOptions = {}): Promise<T> {
  const token = await ensureToken();
  try {
    return await http<T>(method, path, { ...opts, token });
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    dropSession();
    return http<T>(method, path, { ...opts, token: await ensureToken() });
  }
}

const enc = encodeURIComponent;

export const citizenApi = {
  async categories(): Promise<CategoryNode[]> {
    const body = await http<CategoryNode[] | { items: CategoryNode[] }>('GET', '/api/categories');
    return Array.isArray(body) ? body : (body.items ?? []);
  },
  classify: (text: string) => http<Classification>('POST', '/api/classify', { data: { text } }),
  submitReport: (input: ReportInput) => asCitizen<ReportCreated>('POST', '/api/citizen/reports', { data: input }),
  myReports: () => asCitizen<{ items: MyReport[] }>('GET', '/api/citizen/reports').then((b) => b.items),
  report: (caseNo: string) => asCitizen<ReportDetail>('GET', `/api/citizen/reports/${enc(caseNo)}`),
  answerSurvey: (caseNo: string, result: SurveyResult, comment?: string) =>
    asCitizen<{ state: string; result: string }>('POST', `/api/citizen/reports/${enc(caseNo)}/survey`, {
      data: { result, comment: comment || undefined },
    }),
  recordSubscriptions: (templateIds: string[], accepted: string[]) =>
    asCitizen<void>('POST', '/api/citizen/subscriptions', { data: { templateIds, accepted } }),
  publicCase: (caseNo: string) => http<PublicCase>('GET', `/api/public/cases/${enc(caseNo)}`),
  /** A point said as an address: the nearest 门牌 or place, and the street and community. */
  describePlace: (at: LatLng) =>
    http<DescribedPlace>('GET', '/api/geo/reverse', { query: { lat: at.lat, lng: at.lng } }),
  /** Addresses the city's gazetteer proposes for what was typed, best first, in the stored datum. */
  searchPlaces: (q: string) =>
    http<{ items: PlaceProposal[] }>('GET', '/api/geo/search', { query: { q } }).then((b) => b.items),
  /** The same tile setting the console's map draws (h5 only: WeChat's Map brings its own). */
  mapSettings: () => http<MapSettings>('GET', '/api/geo/settings'),
  roads: () => http<RoadLines>('GET', '/api/geo/roads'),
  nearbyHandled: (at: LatLng | null) =>
    http<{ items: NearbyCase[] }>('GET', '/api/public/cases', {
      query: at ? { lat: at.lat, lng: at.lng } : undefined,
    }).then((b) => b.items),
};
