/** A case number is the filing date (yyyymmdd) and a daily sequence of 5 digits (6 past the 99,999th case of a day): 2026112100001. */
export const CASE_NUMBER_REGEX = '^\\d{13,14}$';

export function isCaseNumber(value: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})\d{5,6}$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 2000 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
