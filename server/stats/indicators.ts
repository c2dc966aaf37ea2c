/**
 * The indicators cities are judged by (数字化城管考评), computed from the history
 * of the cases received in a period. Every figure is "as of" the end of the period
 * (or now, for a period not over yet), so a past month's report never changes:
 *
 * - received: cases received (受理) in the period.
 * - closed: of those, cases in 结案 at the as-of time; 结案率 = closed / received.
 * - closedOnTime: closed cases whose last 处置完毕 (resolve) came at or before the
 *   case's 处置时限 (deadline, extensions included); 按期结案率 = closedOnTime / closed.
 *   Rework is the department's time too: a reworked case is judged by its final disposal.
 * - answered / satisfied: survey answers 满意, 基本满意, 不满意 (拒绝回访 and 未接通
 *   are not answers); 满意率 = satisfied (满意 + 基本满意) / answered.
 * - surveyed / reachedSurvey: cases with at least one answer, over cases that reached
 *   回访 (核查通过) at least once; 回访率 = surveyed / reachedSurvey.
 * - reworked / disposed: cases with at least one 返工, over cases resolved at least
 *   once; 返工率 = reworked / disposed.
 * - disposal time: from the dispatch (派遣) preceding the first resolve to that
 *   resolve, in calendar hours, averaged per 小类.
 * Departments are credited with the cases currently assigned to them. Their 考评
 * score (0–100) weighs 按期结案率 40 %, 满意率 30 %, 结案率 20 % and (1 − 返工率) 10 %;
 * a rate with nothing to measure counts as 0, except 满意率, which is then left out
 * and the other weights scaled up (a department is not to blame for unanswered surveys).
 */

import { localDate } from '../cases/calendar.js';
import { isSatisfied, satisfactionAnswers } from '../surveys/vocabulary.js';
import { groupBy } from '../lib/groupBy.js';

export interface CaseInput {
  id: string;
  channel: string;
  categoryCode: string | null;
  departmentId: number | null;
  createdAt: Date;
  deadlineAt: Date | null;
}

export interface EventInput {
  caseId: string;
  action: string;
  toState: string | null;
  createdAt: Date;
}

export interface SurveyInput {
  caseId: string;
  status: string;
  result: string | null;
  answeredAt: Date | null;
}

export interface StatsInput {
  cases: CaseInput[];
  /** Events of those cases, any order. */
  events: EventInput[];
  surveys: SurveyInput[];
  /** Local dates (YYYY-MM-DD) of the period, in order. */
  days: string[];
  asOf: Date;
  categoryName(code: string): string | null;
  departments: Map<number, string>;
}

export const WEIGHTS = { onTime: 0.4, satisfaction: 0.3, closure: 0.2, noRework: 0.1 } as const;

const answers: readonly string[] = satisfactionAnswers;

interface Facts {
  c: CaseInput;
  closed: boolean;
  closedOnTime: boolean;
  reachedSurvey: boolean;
  disposed: boolean;
  reworked: boolean;
  /** Whole milliseconds, so a category's average does not depend on the order of a float sum. */
  disposalMs: number | null;
  answered: number;
  satisfied: number;
}

export const rate = (n: number, d: number): number | null => (d ? Math.round((n / d) * 10_000) / 10_000 : null);
const round2 = (x: number) => Math.round(x * 100) / 100;
/** The average of n durations totalling ms milliseconds, in hours to two decimals. */
export const averageHours = (ms: number, n: number) => round2(ms / n / 3600_000);

function factsOf(c: CaseInput, events: EventInput[], surveys: SurveyInput[], asOf: Date): Facts {
  const seen = events.filter((e) => e.createdAt <= asOf).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  let state: string | null = null;
  for (const e of seen) if (e.toState) state = e.toState;
  const resolves = seen.filter((e) => e.action === 'resolve');
  const closed = state === '结案';
  const lastResolve = resolves.at(-1);
  const closedOnTime = closed && (!c.deadlineAt || (lastResolve ? lastResolve.createdAt <= c.deadlineAt : false));
  let disposalMs: number | null = null;
  const firstResolve = resolves[0];
  if (firstResolve) {
    const dispatch = seen.filter((e) => e.action === 'dispatch' && e.createdAt <= firstResolve.createdAt).at(-1);
    if (dispatch) disposalMs = firstResolve.createdAt.getTime() - dispatch.createdAt.getTime();
  }
  const given = surveys.filter(
    (s) => s.status === 'answered' && s.result && answers.includes(s.result) && s.answeredAt && s.answeredAt <= asOf,
  );
  return {
    c,
    closed,
    closedOnTime,
    reachedSurvey: seen.some((e) => e.action === 'check_pass'),
    disposed: resolves.length > 0,
    reworked: seen.some((e) => e.action === 'rework'),
    disposalMs,
    answered: given.length,
    satisfied: given.filter((s) => isSatisfied(s.result)).length,
  };
}

function totalsOf(facts: Facts[]) {
  const count = (p: (f: Facts) => boolean) => facts.filter(p).length;
  return {
    received: facts.length,
    closed: count((f) => f.closed),
    closedOnTime: count((f) => f.closedOnTime),
    surveyed: count((f) => f.answered > 0),
    satisfied: facts.reduce((n, f) => n + f.satisfied, 0),
    reworked: count((f) => f.reworked),
    answered: facts.reduce((n, f) => n + f.answered, 0),
    reachedSurvey: count((f) => f.reachedSurvey),
    disposed: count((f) => f.disposed),
  };
}

type Totals = ReturnType<typeof totalsOf>;

function ratesOf(t: Totals) {
  return {
    结案率: rate(t.closed, t.received),
    按期结案率: rate(t.closedOnTime, t.closed),
    满意率: rate(t.satisfied, t.answered),
    回访率: rate(t.surveyed, t.reachedSurvey),
    返工率: rate(t.reworked, t.disposed),
  };
}

/** The 考评 composite, 0–100 with one decimal; see the weights above. */
export function score(t: Totals): number | null {
  if (!t.received) return null;
  const parts: Array<[number, number]> = [
    [WEIGHTS.onTime, rate(t.closedOnTime, t.closed) ?? 0],
    [WEIGHTS.closure, rate(t.closed, t.received) ?? 0],
    [WEIGHTS.noRework, t.disposed ? 1 - rate(t.reworked, t.disposed)! : 0],
  ];
  const satisfaction = rate(t.satisfied, t.answered);
  if (satisfaction != null) parts.push([WEIGHTS.satisfaction, satisfaction]);
  const weight = parts.reduce((s, [w]) => s + w, 0);
  return Math.round((parts.reduce((s, [w, v]) => s + w * v, 0) / weight) * 1000) / 10;
}

export function computeStats(input: StatsInput) {
  const eventsBy = groupBy(input.events, (e) => e.caseId);
  const surveysBy = groupBy(input.surveys, (s) => s.caseId);
  const facts = input.cases.map((c) => factsOf(c, eventsBy.get(c.id) ?? [], surveysBy.get(c.id) ?? [], input.asOf));
  const totals = totalsOf(facts);

  const tally = <K>(key: (f: Facts) => K) => {
    const m = new Map<K, number>();
    for (const f of facts) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
    return m;
  };
  const byChannel = [...tally((f) => f.c.channel)]
    .map(([channel, n]) => ({ channel, n }))
    .sort((a, b) => b.n - a.n || a.channel.localeCompare(b.channel));
  const byCategory = [...tally((f) => f.c.categoryCode)]
    .map(([code, n]) => ({ code, name: code ? (input.categoryName(code) ?? code) : '未分类', n }))
    .sort((a, b) => b.n - a.n || String(a.code).localeCompare(String(b.code)));
  const perDay = tally((f) => localDate(f.c.createdAt));
  const byDay = input.days.map((day) => ({ day, n: perDay.get(day) ?? 0 }));

  const disposalBy = groupBy(
    facts.filter((f) => f.disposalMs != null),
    (f) => f.c.categoryCode,
  );
  const avgDisposalHoursByCategory = [...disposalBy]
    .map(([code, fs]) => ({
      code,
      name: code ? (input.categoryName(code) ?? code) : '未分类',
      n: fs.length,
      hours: averageHours(
        fs.reduce((s, f) => s + f.disposalMs!, 0),
        fs.length,
      ),
    }))
    .sort((a, b) => String(a.code).localeCompare(String(b.code)));

  const departments = [
    ...groupBy(
      facts.filter((f) => f.c.departmentId != null),
      (f) => f.c.departmentId!,
    ),
  ]
    .map(([id, fs]) => {
      const t = totalsOf(fs);
      return {
        id,
        name: input.departments.get(id) ?? String(id),
        received: t.received,
        closed: t.closed,
        closedOnTime: t.closedOnTime,
        answered: t.answered,
        satisfied: t.satisfied,
        reworked: t.reworked,
        disposed: t.disposed,
        closeRate: rate(t.closed, t.received),
        onTimeRate: rate(t.closedOnTime, t.closed),
        satisfactionRate: rate(t.satisfied, t.answered),
        reworkRate: rate(t.reworked, t.disposed),
        score: score(t),
      };
    })
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.received - a.received || a.id - b.id);

  return { totals, rates: ratesOf(totals), byChannel, byCategory, byDay, departments, avgDisposalHoursByCategory };
}

export type Stats = ReturnType<typeof computeStats>;
