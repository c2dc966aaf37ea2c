// The console's names for the API's shapes: aliases of generated.ts, which `npm run openapi`
// generates from the server's OpenAPI document. No shape is written by hand here.
import type { BodyOf, CaseDetail as CaseDetailShape, GridCollection, ResponseOf, Role } from './generated';

export type {
  CaseSummary,
  CategoryNode,
  Classification,
  CodeName,
  DeadlineStatus,
  Department,
  GridCollection,
  ReportResult,
  Role,
  RoutingRule,
  ScreenPop,
  Stats,
  StaffUser,
  Upload,
} from './generated';
import type { DeadlineStatus } from './generated';

export type CaseDetail = CaseDetailShape;
export type Photo = CaseDetail['case']['photos'][number];
export type CaseEvent = CaseDetail['events'][number];
export type CallRecord = CaseDetail['calls'][number];
export type GridFeature = GridCollection['features'][number];
export type GridProperties = GridFeature['properties'];
export type Position = number[];
export type RoutingRuleInput = BodyOf<'POST /api/routing-rules'>;
export type InboxCounts = ResponseOf<'GET /api/inboxes'>;

/** Values fixed by the contract (they are Chinese because the API speaks them). */
export const CASE_STATES = [
  '受理',
  '立案',
  '不予立案',
  '转办',
  '派遣',
  '处置中',
  '已处置',
  '核查',
  '回访',
  '结案',
  '挂账',
];
export const DEADLINE_STATUSES: DeadlineStatus[] = ['正常', '即将超期', '已超期'];
export const CHANNELS = ['hotline', 'miniprogram', 'wechat', 'agent', 'open311'];
export const SURVEY_RESULTS = ['满意', '基本满意', '不满意', '拒绝回访'];
export const PRIORITIES = ['紧急', '较急', '一般'];
export const ROLES: Role[] = ['agent', 'supervisor', 'department', 'admin'];
