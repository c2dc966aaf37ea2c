/** The shapes of docs/api.md ("Staff" section), as the console reads them. */

export type Role = 'agent' | 'supervisor' | 'department' | 'admin';

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  extension: string | null;
  active?: boolean;
  lastLoginAt?: string | null;
}

export interface CodeName {
  code: string;
  name: string;
}

export type DeadlineStatus = '正常' | '即将超期' | '已超期';

export interface CaseSummary {
  id: string;
  caseNo: string;
  state: string;
  version: number;
  channel: string;
  kind: string | null;
  category: CodeName | null;
  major: CodeName | null;
  title: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  area: {
    gridId: number | null;
    communityId: number | null;
    streetId: number | null;
    districtId: number | null;
    gridName: string | null;
    communityName?: string | null;
    streetName: string | null;
  } | null;
  department: { id: number; name: string } | null;
  priority: string;
  deadlineAt: string | null;
  deadlineStatus: DeadlineStatus;
  pendingExtension?: { hours: number; note: string; at: string } | null;
  needsReview: boolean;
  confidence?: number | null;
  transferAgency?: string | null;
  surveyResult?: string | null;
  duplicateCount: number;
  reworkCount: number;
  urgeCount?: number;
  urgedAt?: string | null;
  mergedInto?: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt?: string | null;
  /** Only in /api/reports/nearby answers. */
  distanceM?: number;
}

export interface Photo {
  id: string;
  url: string;
  thumbUrl: string;
}

export interface CaseEvent {
  id: number | string;
  action: string;
  actionLabel: string;
  fromState: string | null;
  toState: string | null;
  actor: { type: string; name: string | null } | null;
  note: string | null;
  attachments: Photo[];
  createdAt: string;
}

export interface CallRecord {
  id: string;
  direction: string;
  callerMasked: string | null;
  startedAt: string;
  endedAt: string | null;
  recordingUrl: string | null;
}

/** Reports and chat messages are not spelled out in the contract; the console reads them loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- until this file is generated from /openapi.json
export type Loose = Record<string, any>;

export interface CaseDetail {
  case: CaseSummary & {
    description: string;
    photos: Photo[];
  };
  events: CaseEvent[];
  reports: Loose[];
  calls: CallRecord[];
  messages: Loose[];
  reporter: { id: string | null; phoneMasked: string | null; name: string | null } | null;
  allowedActions: string[];
  /** The server's name for each step: the button says what the timeline will say. */
  actionLabels?: Record<string, string>;
}

export interface Classification {
  kind: string | null;
  major: CodeName | null;
  minor: CodeName | null;
  confidence: number;
  alternatives: Array<CodeName & { kind: string; confidence: number }>;
  needsReview: boolean;
  entities: { locations: string[]; times: string[]; phones: string[] };
  transfer?: { agency: string };
}

export interface CategoryNode {
  code: string;
  name: string;
  kind?: string;
  children?: CategoryNode[];
}

export interface Department {
  id: number;
  code?: string;
  name: string;
  delivery?: string;
  agency?: string | null;
  active?: boolean;
  webhookUrl?: string | null;
  hasWebhookSecret?: boolean;
}

export interface GridProperties {
  id: number;
  code: string;
  name: string;
  level: string;
  parentId: number | null;
  openCases: number;
  overdueCases: number;
}

export type Position = number[];

export interface GridFeature {
  type: 'Feature';
  properties: GridProperties;
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
}

export interface GridCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

export interface ScreenPop {
  callId: string;
  callerMasked: string | null;
  citizenId: string | null;
  pastCases: CaseSummary[];
  openSurveys: Loose[];
  /** Cases filed during this call so far. */
  filedCases?: CaseSummary[];
  at: string;
}

export interface ReportResult {
  report: { id: string; disposition: 'opened' | 'duplicate' };
  case: CaseSummary;
}

export interface RoutingRule {
  id: number;
  categoryCode: string;
  areaId: number | null;
  departmentId: number;
  deadlineHours: number;
  deadlineType: 'working' | 'calendar';
  priority: string;
  active: boolean;
}

export interface Stats {
  totals: {
    received: number;
    closed: number;
    closedOnTime: number;
    surveyed: number;
    satisfied: number;
    reworked: number;
  };
  rates: Record<string, number | null>;
  byChannel: Array<{ channel: string; n: number }>;
  byCategory: Array<{ code: string; name: string; n: number }>;
  byDay: Array<{ day: string; n: number }>;
  departments: Array<{
    id: number;
    name: string;
    received: number;
    closed: number;
    onTimeRate: number | null;
    satisfactionRate: number | null;
    reworkRate: number | null;
    score: number | null;
  }>;
}

export interface Upload {
  id: string;
  url: string;
  thumbUrl: string;
  gps?: { lat: number; lng: number } | null;
}

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
