import { ApiError } from '../api/client';

/**
 * Where to show an API error on a form. The server names the field first when one field is
 * at fault ("deadlineHours: …" from validation, "categoryCode: 分类代码 … 不存在" from a 422),
 * so such an error lands under that field; anything else (422 rule_conflict, …) goes above the form.
 */
export function placeApiError(err: unknown, fields: string[]): { field?: string; message: string; code?: string } {
  const message = (err as Error)?.message ?? String(err);
  if (!(err instanceof ApiError)) return { message };
  if (err.status === 400 || err.status === 422) {
    const m = /^([\w.[\]]+):\s*(.+)$/.exec(err.message);
    const top = m?.[1].split(/[.[]/)[0];
    if (m && top && fields.includes(top)) return { field: top, message: m[2], code: err.code };
  }
  return { message, code: err.code };
}
