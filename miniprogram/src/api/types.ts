// The mini-program's names for the API's shapes: aliases of generated.ts, which `npm run openapi`
// generates from the server's OpenAPI document. Nothing here is written by hand.
import type { BodyOf, ResponseOf } from './generated';

export type { CategoryNode, CodeName, LatLng, MapSettings, PlaceProposal, PublicCase, Upload } from './generated';
import type { CitizenReportDetail, CitizenReportSummary, PointDescription, PublicCaseItem } from './generated';

export type Session = ResponseOf<'POST /api/citizen/login'>;
export type Classification = ResponseOf<'POST /api/classify'>;
export type ReportInput = BodyOf<'POST /api/citizen/reports'>;
export type ReportCreated = ResponseOf<'POST /api/citizen/reports'>;
export type MyReport = CitizenReportSummary;
export type ReportDetail = CitizenReportDetail;
export type Photo = ReportDetail['photos'][number];
export type TimelineEntry = ReportDetail['timeline'][number];
export type SurveyResult = BodyOf<'POST /api/citizen/reports/{caseNo}/survey'>['result'];
export type NearbyCase = PublicCaseItem;
export type DescribedPlace = PointDescription;
export type RoadLines = ResponseOf<'GET /api/geo/roads'>;
