import { eq, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { Services } from '../context.js';
import { citizens } from '../db/schema.js';
import { isPhone, maskPhone, type PhoneVault } from '../lib/phone.js';
import { invalidRequest } from '../errors.js';
import type { CitizenInsert, CitizenRow } from '../db/rows.js';

export interface CitizenIdentity {
  phone?: string;
  openid?: string;
  unionid?: string;
  chatContactId?: string;
  name?: string;
}

export type { CitizenRow } from '../db/rows.js';

/**
 * Finds the citizen by whichever identity the channel knows, or creates one.
 * A phone is looked up by keyed hash and stored encrypted; identities learnt on
 * a later contact are added to the same citizen.
 */
export async function resolveCitizen(tx: DbOrTx, phones: PhoneVault, who: CitizenIdentity): Promise<CitizenRow | null> {
  if (who.phone && !isPhone(who.phone)) throw invalidRequest('phone: 号码格式不正确');
  const phoneHash = who.phone ? phones.hash(who.phone) : undefined;
  const lookups: SQL[] = [];
  if (phoneHash) lookups.push(eq(citizens.phoneHash, phoneHash));
  if (who.openid) lookups.push(eq(citizens.openid, who.openid));
  if (who.chatContactId) lookups.push(eq(citizens.chatContactId, who.chatContactId));
  if (!lookups.length) return null;

  let found: CitizenRow | undefined;
  for (const lookup of lookups) {
    [found] = await tx.select().from(citizens).where(lookup).limit(1);
    if (found) break;
  }
  const patch: Partial<CitizenInsert> = {};
  if (phoneHash && !found?.phoneHash) {
    patch.phoneHash = phoneHash;
    patch.phoneEnc = phones.encrypt(who.phone!);
    patch.phoneMasked = maskPhone(who.phone!);
  }
  if (who.openid && !found?.openid) patch.openid = who.openid;
  if (who.unionid && !found?.unionid) patch.unionid = who.unionid;
  if (who.chatContactId && !found?.chatContactId) patch.chatContactId = who.chatContactId;
  if (who.name && !found?.name) patch.name = who.name;

  if (!found) {
    const [row] = await tx.insert(citizens).values(patch).onConflictDoNothing().returning();
    if (row) return row;
    // Another intake created the same citizen a moment ago.
    return resolveCitizen(tx, phones, who);
  }
  if (Object.keys(patch).length) {
    const [row] = await tx
      .update(citizens)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(citizens.id, found.id))
      .returning();
    return row;
  }
  return found;
}

/** The citizen signing in to the mini-program: found or created by their WeChat identity. */
export async function signInCitizen(
  services: Pick<Services, 'database' | 'phones'>,
  who: { openid: string; unionid?: string },
): Promise<CitizenRow> {
  return (await resolveCitizen(services.database.db, services.phones, who))!;
}
