import dayjs from 'dayjs';
import { t } from '../i18n/zh-CN';

export const formatTime = (iso: string | null | undefined) =>
  iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : t.common.none;

/** Rates arrive as fractions (0–1). */
export const formatRate = (rate: number | null | undefined) =>
  rate === null || rate === undefined || Number.isNaN(rate) ? t.common.none : `${(rate * 100).toFixed(1)}%`;

/** Items the contract leaves loosely typed may carry their label under one of several names: the first text found. */
export function pick(item: object | null | undefined, ...keys: string[]): string | undefined {
  if (!item) return undefined;
  const fields = item as Record<string, unknown>;
  for (const key of keys) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

/** Street / grid of a case, as the list and the case page show it. */
export const areaLabel = (area: { streetName: string | null; gridName: string | null } | null | undefined) =>
  [area?.streetName, area?.gridName].filter(Boolean).join(' / ') || t.common.none;
