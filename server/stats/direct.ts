import { and, eq, gte, inArray, lt, lte, type SQL } from 'drizzle-orm';
import { inArea } from '../cases/queries.js';
import type { Services } from '../context.js';
import { caseEvents, cases, departments, surveys } from '../db/schema.js';
import { computeStats } from './indicators.js';
import { DAY_MS, periodDays, startOf, type StatsQuery, type StatsReport } from './load.js';

/**
 * The figures worked out the first way: every case, event and survey of the period read into
 * JavaScript and computeStats() run over them. Too heavy for the request path at a city's
 * volume; kept as the reference the rollups (load.ts) are tested against.
 */
export async function loadStatsDirect(services: Services, q: StatsQuery, now = new Date()): Promise<StatsReport> {
  const db = services.database.db;
  const start = startOf(q.from);
  const end = new Date(startOf(q.to).getTime() + DAY_MS);
  const asOf = end < now ? end : now;

  const conds: SQL[] = [gte(cases.createdAt, start), lt(cases.createdAt, end)];
  if (q.areaId != null) conds.push(inArea(q.areaId));
  if (q.departmentId != null) conds.push(eq(cases.departmentId, q.departmentId));
  const where = and(...conds);
  const cohort = db.select({ id: cases.id }).from(cases).where(where);

  const [caseRows, eventRows, surveyRows, deptRows, categories] = await Promise.all([
    db
      .select({
        id: cases.id,
        channel: cases.channel,
        categoryCode: cases.categoryCode,
        departmentId: cases.departmentId,
        createdAt: cases.createdAt,
        deadlineAt: cases.deadlineAt,
      })
      .from(cases)
      .where(where),
    db
      .select({
        caseId: caseEvents.caseId,
        action: caseEvents.action,
        toState: caseEvents.toState,
        createdAt: caseEvents.createdAt,
      })
      .from(caseEvents)
      .where(and(inArray(caseEvents.caseId, cohort), lte(caseEvents.createdAt, asOf)))
      .orderBy(caseEvents.createdAt, caseEvents.id),
    db
      .select({
        caseId: surveys.caseId,
        status: surveys.status,
        result: surveys.result,
        answeredAt: surveys.answeredAt,
      })
      .from(surveys)
      .where(inArray(surveys.caseId, cohort)),
    db.select({ id: departments.id, name: departments.name }).from(departments),
    services.categories(),
  ]);

  const stats = computeStats({
    cases: caseRows,
    events: eventRows,
    surveys: surveyRows,
    days: periodDays(q.from, q.to),
    asOf,
    categoryName: (code) => categories.name(code),
    departments: new Map(deptRows.map((d) => [d.id, d.name])),
  });
  return {
    period: {
      from: q.from,
      to: q.to,
      asOf: asOf.toISOString(),
      areaId: q.areaId ?? null,
      departmentId: q.departmentId ?? null,
    },
    ...stats,
  };
}
