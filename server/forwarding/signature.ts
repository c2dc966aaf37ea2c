import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-chengguan-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, the scheme both directions use. */
export function sign(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
  return `t=${at},v1=${mac}`;
}

export type SignatureCheck =
  { ok: true; at: number } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'expired' };

export function verify(
  secret: string,
  body: string,
  header: string | undefined,
  toleranceSeconds: number,
  now = Math.floor(Date.now() / 1000),
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=') as [string, string]));
  const at = Number(parts.t);
  if (!Number.isInteger(at) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secret).update(`${at}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  if (Math.abs(now - at) > toleranceSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, at };
}
