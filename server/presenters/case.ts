import type { CaseRow } from '../db/rows.js';
import type { CategoryIndex } from '../cases/categoryIndex.js';
import type { AreaLocator } from '../areas/locator.js';
import type { Services } from '../context.js';
import type { Actor } from '../auth/policy.js';
import { maskPersonalData } from '../lib/personalData.js';

export interface Lookups {
  categories: CategoryIndex;
  areas: AreaLocator;
  departments: Map<number, { id: number; name: string }>;
}

/** What the citizens' views need: both are cached in memory, so this reads no table. */
export type PlaceLookups = Pick<Lookups, 'categories' | 'areas'>;

export async function placeLookups(services: Services): Promise<PlaceLookups> {
  const [categories, areas] = await Promise.all([services.categories(), services.areas()]);
  return { categories, areas };
}

export async function lookups(services: Services): Promise<Lookups> {
  const [places, departments] = await Promise.all([placeLookups(services), services.departmentNames()]);
  return { ...places, departments };
}

const ref = (l: Lookups, code: string | null) => (code ? { code, name: l.categories.name(code) ?? code } : null);

/**
 * Department staff read the citizen's words with phone numbers, ID numbers and e-mail masked:
 * they act on the place and the problem, and call back through the hotline, not directly.
 */
export const citizenTextFor = (actor: Actor) => (text: string) =>
  actor.role === 'department' ? maskPersonalData(text) : text;

export function presentCaseSummary(c: CaseRow, l: Lookups, shown: (text: string) => string = (t) => t) {
  return {
    id: c.id,
    caseNo: c.caseNo,
    state: c.state,
    version: c.version,
    channel: c.channel,
    kind: c.kind,
    category: ref(l, c.categoryCode),
    major: ref(l, c.majorCode),
    title: shown(c.title),
    address: c.address,
    lat: c.lat,
    lng: c.lng,
    area: {
      gridId: c.gridId,
      communityId: c.communityId,
      streetId: c.streetId,
      districtId: c.districtId,
      gridName: l.areas.get(c.gridId)?.name ?? null,
      communityName: l.areas.get(c.communityId)?.name ?? null,
      streetName: l.areas.get(c.streetId)?.name ?? null,
    },
    department: c.departmentId ? (l.departments.get(c.departmentId) ?? { id: c.departmentId, name: '' }) : null,
    priority: c.priority,
    deadlineAt: c.deadlineAt?.toISOString() ?? null,
    deadlineStatus: c.deadlineStatus,
    pendingExtension: c.pendingExtension ?? null,
    needsReview: c.needsReview,
    confidence: c.confidence,
    transferAgency: c.transferAgency,
    duplicateCount: c.duplicateCount,
    reworkCount: c.reworkCount,
    urgeCount: c.urgeCount,
    urgedAt: c.urgedAt?.toISOString() ?? null,
    mergedInto: c.mergedInto,
    surveyResult: c.surveyResult,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
  };
}

export type CaseSummary = ReturnType<typeof presentCaseSummary>;
