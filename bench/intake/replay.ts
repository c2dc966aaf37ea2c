/**
 * The intake's statements as pgbench replays them (bench/intake/floor.ts): what an intake's transaction
 * sent (recorded by `watchTransactions`), written as a pgbench script whose per-report values are pgbench
 * variables.
 */
import type { SentStatement } from '../../tests/helpers/db.js';

/** A literal pgbench leaves alone: `:` would start a pgbench variable, so it is written \x3a in an E'' string. */
const literal = (text: string) =>
  `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/:/g, '\\x3a').replace(/\n/g, '\\n')}'`;

/** A value's text as node-postgres sends it (the kinds the service sends; drizzle has already written JSON as text). */
const wire = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map((v) => JSON.stringify(wire(v))).join(',')}}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** What made one recorded intake its own: the values the replay gives each transaction afresh. */
export interface RecordedIntake {
  caseId: string;
  reportId: string;
  /** The idempotency key as stored (`staff:` + the key sent). */
  key: string;
  lat: number;
  lng: number;
}

/**
 * One recorded intake as a pgbench script. Per transaction: `k` a fresh number (ids and key), `i` the
 * point's index, spread as intake.lua spreads the bench's points.
 */
export function pgbenchScript(sent: SentStatement[], intake: RecordedIntake) {
  const near = (text: string, of: number) => /^-?\d+(\.\d+)?$/.test(text) && Math.abs(Number(text) - of) < 0.01;
  const expression = (value: unknown): string => {
    const text = wire(value);
    if (text === null) return 'NULL';
    if (text === intake.caseId) return `md5(:k::text || 'c')::uuid`;
    if (text === intake.reportId) return `md5(:k::text || 'r')::uuid`;
    if (text === intake.key) return `(${literal('staff:floor-')} || :k::text)`;
    if (near(text, intake.lat)) return `(:lat::float8 + (${Number(text) - intake.lat}))`;
    if (near(text, intake.lng)) return `(:lng::float8 + (${Number(text) - intake.lng}))`;
    const cell = /^(dup:[^:]+:)\d+:\d+$/.exec(text);
    if (cell)
      return `concat(${literal(cell[1])}, floor(:lat::float8 * 100), ${literal(':')}, floor(:lng::float8 * 100))`;
    // An id inside a longer value (the history row's JSON names its report) stays as recorded: no index reads it.
    return literal(text);
  };
  const lines = [
    '\\set k random(1, 1000000000000000)',
    '\\set i random(1, 1000000000)',
    '\\set lat 30.201 + ((:i * 7) % 880) * 0.0001',
    '\\set lng 120.101 + ((:i * 13) % 1780) * 0.0001',
  ];
  const trips = [...new Set(sent.map((s) => s.trip))];
  for (const trip of trips) {
    const statements = sent.filter((s) => s.trip === trip);
    if (statements.length > 1) lines.push('\\startpipeline');
    for (const s of statements) {
      const text = s.text.replace(/\$(\d+)/g, (_, n: string) => expression(s.values[Number(n) - 1]));
      if (/(^|[^:]):[A-Za-z_]/.test(text.replace(/:(k|i|lat|lng)\b/g, '')))
        throw new Error(`a statement pgbench would read a variable in: ${text.slice(0, 120)}`);
      lines.push(`${text.trim()};`);
    }
    if (statements.length > 1) lines.push('\\endpipeline');
  }
  return { script: `${lines.join('\n')}\n`, trips: trips.length, statements: sent.length };
}
