import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Context, Next } from 'koa';
import send from 'koa-send';

/**
 * Serves a built single-page app under a prefix; unknown paths fall back to
 * index.html so client-side routes survive a reload.
 */
export function serveSpa(prefix: string, root: string, label: string) {
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path !== prefix && !ctx.path.startsWith(prefix + '/')) return next();
    if (ctx.path === prefix) return ctx.redirect(prefix + '/');
    if (!existsSync(path.join(root, 'index.html'))) {
      ctx.status = 503;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = `<!doctype html><meta charset="utf-8"><p>${label}尚未构建，请运行 npm start 或 npm run build。</p>`;
      return;
    }
    const rel = decodeURIComponent(ctx.path.slice(prefix.length + 1)) || 'index.html';
    const file = existsSync(path.join(root, rel)) && !rel.includes('..') ? rel : 'index.html';
    const immutable = file.includes('assets/') || /\.[0-9a-f]{8,}\./.test(file);
    await send(ctx, file, {
      root,
      immutable,
      gzip: true,
      brotli: true,
      maxage: immutable ? 365 * 24 * 3600_000 : 0,
      setHeaders: (res) => {
        if (file === 'index.html') res.setHeader('Cache-Control', 'no-cache');
      },
    });
  };
}
