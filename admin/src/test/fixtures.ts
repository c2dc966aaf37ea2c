import type { CaseSummary, Classification, GridCollection } from '../api/types';

export function buildCase(overrides: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id: 'c1',
    caseNo: '20261122-0001',
    state: '受理',
    version: 3,
    channel: 'hotline',
    kind: '部件',
    category: { code: '100102', name: '污水井盖' },
    major: { code: '1001', name: '公共设施' },
    title: '污水井盖破损',
    address: '东湖路 12 号',
    lat: 30.25,
    lng: 120.15,
    area: {
      gridId: 1,
      communityId: 2,
      streetId: 3,
      districtId: 4,
      gridName: '湖畔一网格',
      communityName: '湖畔社区',
      streetName: '东湖街道',
    },
    department: null,
    priority: '一般',
    deadlineAt: null,
    deadlineStatus: '正常',
    pendingExtension: null,
    needsReview: false,
    confidence: null,
    transferAgency: null,
    duplicateCount: 0,
    reworkCount: 0,
    urgeCount: 0,
    urgedAt: null,
    mergedInto: null,
    surveyResult: null,
    createdAt: '2026-11-22T01:00:00.000Z',
    updatedAt: '2026-11-22T01:00:00.000Z',
    closedAt: null,
    ...overrides,
  };
}

export function buildClassification(overrides: Partial<Classification> = {}): Classification {
  return {
    kind: '部件',
    major: { code: '1001', name: '公共设施' },
    minor: { code: '100102', name: '污水井盖' },
    confidence: 0.82,
    alternatives: [
      { code: '100103', name: '雨水井盖', kind: '部件', confidence: 0.11 },
      { code: '100101', name: '上水井盖', kind: '部件', confidence: 0.04 },
    ],
    needsReview: false,
    entities: { locations: ['东湖路'], times: ['今天早上'], phones: [] },
    ...overrides,
  };
}

const rect = (w: number, s: number, e: number, n: number) => [
  [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ],
];

export function buildGrids(): GridCollection {
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: 11,
        properties: {
          id: 11,
          code: 'G11',
          name: '湖畔一网格',
          level: 'grid',
          parentId: 1,
          openCases: 3,
          overdueCases: 1,
        },
        geometry: { type: 'Polygon', coordinates: rect(120.1, 30.2, 120.12, 30.22) },
      },
      {
        type: 'Feature',
        id: 12,
        properties: {
          id: 12,
          code: 'G12',
          name: '湖畔二网格',
          level: 'grid',
          parentId: 1,
          openCases: 0,
          overdueCases: 0,
        },
        geometry: { type: 'Polygon', coordinates: rect(120.12, 30.2, 120.14, 30.22) },
      },
    ],
  };
}

export const categoryTree = [
  {
    code: '1001',
    name: '公共设施',
    kind: '部件',
    children: [
      { code: '100101', name: '上水井盖' },
      { code: '100102', name: '污水井盖' },
      { code: '100103', name: '雨水井盖' },
    ],
  },
];
