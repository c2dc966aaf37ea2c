/** Upload URLs come back as server paths (/files/:id); the weapp build must prefix its API origin. */
export function fileUrl(url: string | null | undefined): string {
  if (!url) return '';
  return /^(https?:|blob:|data:|wxfile:)/.test(url) ? url : API_BASE + url;
}
