import type { PlaceLookups } from './case.js';
import { maskPersonalData } from '../lib/personalData.js';
import { localDate } from '../cases/calendar.js';
import type { BoardCaseRow, StreetMonthRow } from '../board/queries.js';

/** A share to four places, null when there is nothing to measure (as server/stats/indicators.ts rounds). */
const rate = (n: number, d: number): number | null => (d ? Math.round((n / d) * 10_000) / 10_000 : null);

/** About 100 m: three decimals of a degree (111 m north–south, ~96 m east–west at 30°N). */
const coarse = (x: number) => Math.round(x * 1000) / 1000;

/**
 * A case as the public board shows it: what, where to the community, in which state, when, and a
 * point rounded to about 100 m. Never the citizen's words, photos, address or name; the only text
 * is the reply the department published when it finished, with any phone or ID number masked.
 */
export function boardCase(c: BoardCaseRow, l: PlaceLookups) {
  const closed = c.state === '结案';
  return {
    caseNo: c.caseNo,
    category: c.categoryCode ? l.categories.name(c.categoryCode) : null,
    street: l.areas.get(c.streetId)?.name ?? null,
    streetId: c.streetId,
    community: l.areas.get(c.communityId)?.name ?? null,
    state: closed ? '已办结' : '办理中',
    receivedOn: localDate(c.createdAt),
    closedOn: c.closedAt && closed ? localDate(c.closedAt) : null,
    point: c.lat != null && c.lng != null ? { lat: coarse(c.lat), lng: coarse(c.lng) } : null,
    reply: closed && c.reply && !c.replyOverride ? maskPersonalData(c.reply) : null,
  };
}

export function streetFigures(r: StreetMonthRow, l: PlaceLookups) {
  return {
    streetId: r.streetId,
    street: l.areas.get(r.streetId)?.name ?? '未定位',
    received: r.received,
    closureRate: rate(r.closed, r.received),
    onTimeRate: rate(r.closedOnTime, r.closed),
    satisfactionRate: rate(r.satisfied, r.answered),
  };
}
