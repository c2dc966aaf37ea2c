import type { Context, Next } from 'koa';
import type { SessionStore } from '../auth/sessions.js';
import type { Actor } from '../auth/policy.js';
import { unauthenticated } from '../errors.js';

export const SESSION_COOKIE = 'cg_session';

export function tokenFrom(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  return ctx.cookies.get(SESSION_COOKIE) ?? undefined;
}

/** Loads the staff user if there is a valid session; never rejects by itself. */
export function loadActor(sessions: SessionStore) {
  return async (ctx: Context, next: Next) => {
    const token = tokenFrom(ctx);
    if (token) ctx.state.actor = (await sessions.resolve(token)) ?? undefined;
    await next();
  };
}

export async function requireStaff(ctx: Context, next: Next) {
  if (!ctx.state.actor) throw unauthenticated();
  await next();
}

export const actorOf = (ctx: Context): Actor => {
  if (!ctx.state.actor) throw unauthenticated();
  return ctx.state.actor;
};
