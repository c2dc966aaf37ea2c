import { toCsv } from '../lib/csv.js';
import type { StatsReport } from './load.js';

const pct = (r: number | null) => (r == null ? '' : `${(r * 100).toFixed(1)}%`);

/** The figures as one sheet: the whole scope first, then each department in ranking order. */
export function statsCsv(report: StatsReport): string {
  const t = report.totals;
  const r = report.rates;
  const header = [
    '范围',
    '统计起',
    '统计止',
    '受理',
    '结案',
    '按期结案',
    '已回访',
    '满意',
    '返工',
    '结案率',
    '按期结案率',
    '满意率',
    '回访率',
    '返工率',
    '考评得分',
  ];
  const { from, to } = report.period;
  const rows: unknown[][] = [
    [
      '全部',
      from,
      to,
      t.received,
      t.closed,
      t.closedOnTime,
      t.surveyed,
      t.satisfied,
      t.reworked,
      pct(r.结案率),
      pct(r.按期结案率),
      pct(r.满意率),
      pct(r.回访率),
      pct(r.返工率),
      '',
    ],
    ...report.departments.map((d) => [
      d.name,
      from,
      to,
      d.received,
      d.closed,
      d.closedOnTime,
      '',
      d.satisfied,
      d.reworked,
      pct(d.closeRate),
      pct(d.onTimeRate),
      pct(d.satisfactionRate),
      '',
      pct(d.reworkRate),
      d.score ?? '',
    ]),
  ];
  return toCsv(header, rows);
}
