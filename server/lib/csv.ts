/** CSV that opens correctly in Excel on a Chinese Windows: UTF-8 with a BOM, CRLF, quoted where needed. */
export function toCsv(header: string[], rows: Array<Array<unknown>>): string {
  const cell = (v: unknown) => {
    if (v == null) return '';
    let s = String(v);
    // A leading = + - @ would be run as a formula by spreadsheet programs.
    if (/^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
