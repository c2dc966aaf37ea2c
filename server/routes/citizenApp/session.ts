import type { Context, Next } from 'koa';
import type { Services } from '../../context.js';
import { CitizenTokens } from '../../citizens/tokens.js';
import { notFound, unauthenticated } from '../../errors.js';
import { citizenOwnsCase } from '../../auth/policy.js';
import { caseForCitizen } from '../../citizens/queries.js';

declare module 'koa' {
  interface DefaultState {
    citizenId?: string;
  }
}

/** The citizen's session: bearer tokens signed with SESSION_SECRET, and the middleware that requires one. */
export function citizenSession(services: Services) {
  const tokens = new CitizenTokens(services.config.SESSION_SECRET);

  async function requireCitizen(ctx: Context, next: Next) {
    const header = ctx.get('authorization');
    const id = header.startsWith('Bearer ') ? tokens.verify(header.slice(7).trim()) : null;
    if (!id) throw unauthenticated('请先登录小程序');
    ctx.state.citizenId = id;
    await next();
  }

  /** The signed-in citizen's case by its number; anyone else's is a 404. */
  async function ownCase(citizenId: string, caseNo: string) {
    const found = await caseForCitizen(services, caseNo, citizenId);
    if (!found || !citizenOwnsCase(citizenId, found.kase, found.filedReport)) throw notFound('案件');
    return found.kase;
  }

  return { tokens, requireCitizen, ownCase };
}

export type CitizenSession = ReturnType<typeof citizenSession>;
