const pad = (n: number) => String(n).padStart(2, '0');

/** 2025-11-22 09:05 in the phone's own time zone (the service works in Asia/Shanghai). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
