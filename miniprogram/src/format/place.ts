/** 「东湖路12号附近 · 东湖街道湖畔社区」: the nearest named place, then the street and community. */
export function formatPlace(d: { label: string | null; areaNames: string[] }): string | null {
  const area = d.areaNames.slice(1, 3).join('');
  return [d.label, area].filter(Boolean).join(' · ') || null;
}
