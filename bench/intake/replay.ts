/**
 * The intake's statements as pgbench replays them (bench/intake/floor.ts): record what the clients of this
 * process send, and write it as a pgbench script whose per-report values are pgbench variables.
 */
import pg from 'pg';

export interface Sent {
  text: string;
  values: unknown[];
  /** The round trip it went out in: statements sent while none was awaiting its answer start a new one. */
  trip: number;
}

/** Records every statement any client of this process sends, and groups them into round trips. */
export function recordStatements() {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const own = proto.query;
  const sent: Sent[] = [];
  let outstanding = 0;
  let trip = 0;
  let on = false;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const result = own.apply(this, args);
    if (!on || !(result instanceof Promise)) return result;
    const first = args[0] as string | { text: string; values?: unknown[] };
    const text = typeof first === 'string' ? first : first.text;
    const values = (typeof first === 'string' ? (args[1] as unknown[]) : first.values) ?? [];
    if (outstanding === 0) trip++;
    outstanding++;
    sent.push({ text, values, trip });
    const done = () => void outstanding--;
    result.then(done, done);
    return result;
  };
  return {
    start: () => void ((on = true), (sent.length = 0)),
    stop: () => ((on = false), [...sent]),
    restore: () => void (proto.query = own),
  };
}

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
export function pgbenchScript(sent: Sent[], intake: RecordedIntake) {
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
