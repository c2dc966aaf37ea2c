import type { CaseEventRow, CaseRow } from '../db/rows.js';
import type { PlaceLookups } from './case.js';
import { maskPersonalData } from '../lib/personalData.js';

/** What the timeline reads of an event. */
type TimelineEvent = Pick<CaseEventRow, 'action' | 'note' | 'data' | 'createdAt'>;
/** What the public view reads of a case. */
type PublicCaseFields = Pick<
  CaseRow,
  'caseNo' | 'state' | 'categoryCode' | 'streetId' | 'communityId' | 'createdAt' | 'closedAt'
>;

/** What a citizen is told about each step; internal steps are not shown. */
const citizenLabels: Record<string, string> = {
  received: '已受理',
  register: '已立案',
  dispatch: '已派遣',
  accept: '处置中',
  resolve: '已处置',
  check_pass: '待回访',
  check_fail: '复查未通过，继续处置',
  approve_extension: '处置延期',
  rework: '返工处理',
  close: '已结案',
  transfer: '已转办',
  reject: '不予立案',
  park: '已纳入长期计划',
  duplicate_attached: '已合并相同问题的反映',
  merged_in: '已合并相同问题的反映',
  merge: '已与相同问题的反映合并办理',
  answer: '已答复',
  survey_answered: '已评价',
};

export function citizenTimeline(events: TimelineEvent[]) {
  return events
    .filter((e) => citizenLabels[e.action])
    .map((e) => {
      let label = citizenLabels[e.action];
      const data = (e.data ?? {}) as Record<string, unknown>;
      if (e.action === 'dispatch' && data.departmentName) label = `已派遣至${data.departmentName}`;
      if (e.action === 'transfer' && data.agency) label = `已转办至${data.agency}`;
      return { at: e.createdAt.toISOString(), label, note: publicNote(e) };
    });
}

/**
 * Notes written for citizens: the disposal reply, a rejection or transfer reason; no internal note.
 * Masked, as they reach the public lookup too (a reply may quote a phone number).
 */
export function publicNote(e: Pick<CaseEventRow, 'action' | 'note' | 'data'>): string | null {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const shown = ['resolve', 'reject', 'transfer', 'park', 'close'].includes(e.action) && !data.override;
  return shown && e.note ? maskPersonalData(e.note) : null;
}

/** Where a case is, as far as the public may know: street and community, never the address. */
export function publicPlace(c: Pick<CaseRow, 'streetId' | 'communityId'>, l: PlaceLookups): string | null {
  return [l.areas.get(c.streetId)?.name, l.areas.get(c.communityId)?.name].filter(Boolean).join(' ') || null;
}

/** The public view of a case: no reporter, no exact address below the street, no photos. */
export function publicCase(c: PublicCaseFields, events: TimelineEvent[], l: PlaceLookups) {
  return {
    caseNo: c.caseNo,
    state: c.state,
    category: c.categoryCode ? { code: c.categoryCode, name: l.categories.name(c.categoryCode) } : null,
    address: publicPlace(c, l),
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    timeline: citizenTimeline(events).map(({ at, label }) => ({ at, label })),
  };
}
