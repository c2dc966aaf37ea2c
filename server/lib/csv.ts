/** A spreadsheet reads a leading = + - @ as a formula, so such a cell is quoted with an apostrophe. */
function cell(v: unknown): string {
  if (v == null) return '';
  let s = String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line with its CRLF, for writers that stream row by row. */
export const csvLine = (values: unknown[]): string => values.map(cell).join(',') + '\r\n';

/** UTF-8 with a BOM, so Excel on a Chinese Windows opens it correctly. */
export const CSV_BOM = '\ufeff';

/** CSV that opens correctly in Excel on a Chinese Windows: UTF-8 with a BOM, CRLF, quoted where needed. */
export function toCsv(header: string[], rows: Array<Array<unknown>>): string {
  return CSV_BOM + [header, ...rows].map(csvLine).join('');
}

/** An instant as Beijing wall-clock time, `2026-12-03 08:05:09`: what a spreadsheet reader expects to see. */
export function beijingTime(at: Date | string | null | undefined): string {
  if (at == null) return '';
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return '';
  // China has no DST: a fixed +08:00 is exact.
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
