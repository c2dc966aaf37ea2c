import { asc, eq, inArray } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { citizens, reports, type ReportChannel } from '../db/schema.js';
import type { CaseRow } from '../db/rows.js';
import type { CitizenRow } from '../citizens/resolve.js';
import { templateIds } from '../notifications/grants.js';
import type { CitizenFacts, Reach } from './channels.js';
import { smsTemplateId } from '../sms/templates.js';

export function reachOf(services: Services): Reach {
  return {
    phone: services.surveyCaller != null,
    chat: services.chatSender != null,
    push: services.wechat != null && templateIds(services.config).survey !== '',
    sms: services.sms != null && smsTemplateId(services.config, 'survey') !== '',
  };
}

export function factsOf(citizen: CitizenRow, origin: ReportChannel | null): CitizenFacts {
  return {
    origin,
    hasPhone: !!citizen.phoneEnc,
    doNotCall: citizen.doNotCall,
    smsOptOut: citizen.smsOptOutAt != null,
    hasOpenid: !!citizen.openid,
    hasChatContact: !!citizen.chatContactId,
  };
}

export interface CaseCitizen {
  citizen: CitizenRow;
  /** The channel of the citizen's first report on the case. */
  origin: ReportChannel | null;
}

/** The reporter and every merged duplicate reporter of a case, each once, in the order they reported. */
export async function caseCitizens(tx: DbOrTx, kase: CaseRow): Promise<CaseCitizen[]> {
  const rows = await tx
    .select({ citizenId: reports.citizenId, channel: reports.channel })
    .from(reports)
    .where(eq(reports.caseId, kase.id))
    .orderBy(asc(reports.createdAt), asc(reports.id));
  const origin = new Map<string, ReportChannel>();
  for (const r of rows) if (r.citizenId && !origin.has(r.citizenId)) origin.set(r.citizenId, r.channel);
  const ids = [...origin.keys()];
  if (kase.reporterId && !origin.has(kase.reporterId)) ids.unshift(kase.reporterId);
  if (!ids.length) return [];
  const found = new Map((await tx.select().from(citizens).where(inArray(citizens.id, ids))).map((c) => [c.id, c]));
  return ids
    .filter((id) => found.has(id))
    .map((id) => ({ citizen: found.get(id)!, origin: origin.get(id) ?? (kase.channel as ReportChannel) }));
}

/** One citizen's origin on a case (for surveys already scheduled). */
export async function originOn(tx: DbOrTx, kase: CaseRow, citizenId: string): Promise<ReportChannel | null> {
  const all = await caseCitizens(tx, kase);
  return all.find((c) => c.citizen.id === citizenId)?.origin ?? null;
}
