import type { Context, Next } from 'koa';
import type { TrustProxy } from '../config.js';

const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * The client's address for limits and audit. X-Forwarded-For is read from its right end, where
 * our own proxies append: only as many entries as there are trusted hops, or past the listed
 * proxies' own addresses. Whatever a client writes to the left of that is ignored.
 */
export function clientAddressOf(trust: TrustProxy, peer: string, forwardedFor: string | undefined): string {
  const direct = plain(peer);
  if (trust.kind === 'off' || !forwardedFor) return direct;
  const chain = forwardedFor
    .split(',')
    .map((s) => plain(s.trim()))
    .filter(Boolean);
  if (!chain.length) return direct;
  if (trust.kind === 'hops') return chain[Math.max(0, chain.length - trust.hops)];
  if (!trust.addresses.includes(direct)) return direct;
  for (let i = chain.length - 1; i >= 0; i--) if (!trust.addresses.includes(chain[i])) return chain[i];
  return chain[0];
}

export function clientAddress(trust: TrustProxy) {
  return async (ctx: Context, next: Next) => {
    ctx.request.ip = clientAddressOf(
      trust,
      ctx.req.socket.remoteAddress ?? '',
      ctx.get('x-forwarded-for') || undefined,
    );
    await next();
  };
}
