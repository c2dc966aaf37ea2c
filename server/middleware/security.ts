import type { Context, Next } from 'koa';
import { AppError, unsupportedMedia } from '../errors.js';
import { SESSION_COOKIE } from './authenticate.js';

/**
 * No inline script anywhere (the console, the h5 build and /docs load theirs from files); inline
 * styles stay allowed because Ant Design and Taro set style attributes at run time.
 */
export function contentSecurityPolicy(imgSources: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    // The map's tile servers (MAP_TILES), when a tile source is configured.
    ["img-src 'self' data: blob:", ...imgSources].join(' '),
    "font-src 'self' data:",
    // blob:: the h5 build's Taro.uploadFile reads the picked photo through its object URL.
    "connect-src 'self' blob:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/**
 * The CSP source of a tile URL template: its scheme and host, a templated label
 * (`t{0-7}`, `{a-c}`) becoming the wildcard CSP allows (`https://*.tianditu.gov.cn`).
 */
export function tileSource(template: string): string | null {
  const m = /^(https?):\/\/([^/?#]+)/.exec(template);
  if (!m) return null;
  const host = m[2]!
    .split('.')
    .map((label, i) => (i === 0 && label.includes('{') ? '*' : label))
    .join('.');
  return host.includes('{') ? null : `${m[1]}://${host}`;
}

/** The same headers on every answer: pages, API, files and errors alike. */
export function securityHeaders(opts: { hsts: boolean; tileTemplates?: string[] }) {
  const sources = [...new Set((opts.tileTemplates ?? []).map(tileSource).filter((s): s is string => !!s))];
  const policy = contentSecurityPolicy(sources);
  return async (ctx: Context, next: Next) => {
    ctx.set('Content-Security-Policy', policy);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (opts.hsts) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}

/**
 * Which body types a path may send: forms only to Open311 (GeoReport v2 is form-encoded), XML and
 * text only to WeChat's pushes, JSON everywhere else (multipart uploads are read by their routes).
 * A form or text body elsewhere is refused, so a cross-site <form> cannot post to a JSON route.
 */
const wechatPushPaths = new Set(['/api/wechat/events', '/wechat/official-account', '/wechat/mini-program']);

export function bodyTypes() {
  return async (ctx: Context, next: Next) => {
    if (ctx.request.length || ctx.get('transfer-encoding')) {
      const open311 = ctx.path.startsWith('/open311/');
      // WeChat's pushes: the mini-program's media-check verdicts and the customer-service chats.
      const push = wechatPushPaths.has(ctx.path.replace(/\/$/, ''));
      const allowed = ctx.is('json', 'multipart')
        ? true
        : ctx.is('urlencoded')
          ? open311
          : ctx.is('text/plain', 'text/xml', 'application/xml')
            ? push
            : !ctx.get('content-type');
      if (!allowed) throw unsupportedMedia('请求体须为 JSON（Content-Type: application/json）');
    }
    await next();
  };
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * CSRF defence for cookie sessions: a state-changing request that carries the session cookie and
 * no bearer token must come from one of our own pages (Origin, or Referer when a browser leaves
 * Origin out). Bearer tokens, Open311 api_keys and WeChat's signed pushes are not cookies and
 * are unaffected.
 */
export function csrfGuard(opts: { publicBaseUrl?: string }) {
  const configured = opts.publicBaseUrl ? originOf(opts.publicBaseUrl) : null;
  return async (ctx: Context, next: Next) => {
    const safe = ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS';
    const bearer = ctx.get('authorization').startsWith('Bearer ');
    if (!safe && !bearer && ctx.cookies.get(SESSION_COOKIE)) {
      const own = new Set([`${ctx.protocol}://${ctx.host}`, ...(configured ? [configured] : [])]);
      const origin = ctx.get('origin');
      const from = origin && origin !== 'null' ? origin : originOf(ctx.get('referer'));
      if (!from || !own.has(from)) throw new AppError(403, 'csrf_rejected', '请求来源不是本站，已拒绝');
    }
    await next();
  };
}
