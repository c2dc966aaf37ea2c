import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { subscriptionGrants } from '../db/schema.js';
import { TEMPLATE_SETTINGS, type TemplateKind } from '../wechatApi/templates.js';

export const templateKinds = Object.keys(TEMPLATE_SETTINGS) as TemplateKind[];

/** Each template's id as configured; '' when the template is not set up. */
export function templateIds(config: Config): Record<TemplateKind, string> {
  return Object.fromEntries(templateKinds.map((k) => [k, config[TEMPLATE_SETTINGS[k]]])) as Record<
    TemplateKind,
    string
  >;
}

/** Which of our templates a template id (as wx.requestSubscribeMessage reports it) is; null for one we do not use. */
export function templateKindOf(config: Config, templateId: string): TemplateKind | null {
  if (!templateId) return null;
  return templateKinds.find((k) => templateIds(config)[k] === templateId) ?? null;
}

/**
 * Records the citizen's consent: WeChat lets us send one message per accepted
 * template per acceptance, so each kind accepted is one grant, used by one send.
 */
export async function recordGrants(services: Services, citizenId: string, kinds: TemplateKind[]): Promise<number> {
  const valid = kinds.filter((k) => templateKinds.includes(k));
  if (!valid.length) return 0;
  await services.database.db
    .insert(subscriptionGrants)
    .values(valid.map((templateKind) => ({ citizenId, templateKind })));
  return valid.length;
}

/** Takes the oldest unused grant of a kind (marks it used); null when there is none. */
export async function takeGrant(tx: DbOrTx, citizenId: string, kind: TemplateKind, now: Date): Promise<number | null> {
  const [grant] = await tx
    .select({ id: subscriptionGrants.id })
    .from(subscriptionGrants)
    .where(
      and(
        eq(subscriptionGrants.citizenId, citizenId),
        eq(subscriptionGrants.templateKind, kind),
        isNull(subscriptionGrants.usedAt),
      ),
    )
    .orderBy(asc(subscriptionGrants.grantedAt), asc(subscriptionGrants.id))
    .limit(1)
    .for('update', { skipLocked: true });
  if (!grant) return null;
  await tx.update(subscriptionGrants).set({ usedAt: now }).where(eq(subscriptionGrants.id, grant.id));
  return grant.id;
}

/** A send that WeChat did not accept leaves the consent unspent. */
export async function releaseGrant(tx: DbOrTx, grantId: number): Promise<void> {
  await tx.update(subscriptionGrants).set({ usedAt: null }).where(eq(subscriptionGrants.id, grantId));
}
