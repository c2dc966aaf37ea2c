import { eq, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import { caseEvents, deliveries, departments } from '../db/schema.js';
import { sign } from './signature.js';

/**
 * One attempt to forward a case change. Idempotent: a delivered row is not sent
 * again, and the receiver gets the same Idempotency-Key on every attempt. A
 * failed attempt throws so pg-boss retries with backoff; the last one marks the
 * delivery dead, where supervisors see it and can retry it by hand.
 */
export async function deliverOnce(
  services: Services,
  deliveryId: string,
  fetchImpl: typeof fetch = fetch,
): Promise<'delivered' | 'dead' | 'skipped'> {
  const db = services.database.db;
  const [d] = await db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
  if (!d || d.status !== 'pending') return 'skipped';
  const [dept] = await db.select().from(departments).where(eq(departments.id, d.departmentId));
  const [counted] = await db
    .update(deliveries)
    .set({ attempts: sql`${deliveries.attempts} + 1` })
    .where(eq(deliveries.id, d.id))
    .returning({ attempts: deliveries.attempts });
  let error: string;
  try {
    if (!dept) throw new Error('department has no webhook configured');
    const res = await postSigned(dept, { deliveryId: d.id, ...(d.payload as object) }, d.idempotencyKey, fetchImpl);
    if (res.ok) {
      await db
        .update(deliveries)
        .set({ status: 'delivered', deliveredAt: new Date(), lastError: null })
        .where(eq(deliveries.id, d.id));
      return 'delivered';
    }
    error = `HTTP ${res.status}`;
  } catch (err) {
    error = (err as Error).message;
  }
  if (counted.attempts >= services.config.DELIVERY_RETRY_LIMIT + 1) {
    await db.transaction(async (tx) => {
      await tx.update(deliveries).set({ status: 'dead', lastError: error }).where(eq(deliveries.id, d.id));
      await tx.insert(caseEvents).values({
        caseId: d.caseId,
        actorType: 'system',
        action: 'delivery_failed',
        note: `推送至${dept?.name ?? '部门'}失败：${error}`,
        data: { deliveryId: d.id },
      });
    });
    services.log.warn({ deliveryId: d.id, error }, 'delivery dead after retries');
    return 'dead';
  }
  await db.update(deliveries).set({ lastError: error }).where(eq(deliveries.id, d.id));
  throw new Error(`delivery ${d.id} failed: ${error}`);
}

/** One signed POST to a department's webhook, the way every forwarded change is sent. */
export async function postSigned(
  dept: Pick<typeof departments.$inferSelect, 'webhookUrl' | 'webhookSecret'>,
  payload: object,
  idempotencyKey: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  if (!dept.webhookUrl || !dept.webhookSecret) throw new Error('department has no webhook configured');
  const body = JSON.stringify(payload);
  return fetchImpl(dept.webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
      'x-chengguan-signature': sign(dept.webhookSecret, body),
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
}

export async function retryDelivery(services: Services, deliveryId: string): Promise<boolean> {
  return services.database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(deliveries)
      .set({ status: 'pending', attempts: 0, lastError: null })
      .where(sql`${deliveries.id} = ${deliveryId} and ${deliveries.status} = 'dead'`)
      .returning({ id: deliveries.id });
    if (!row) return false;
    await services.jobs?.enqueue(tx, 'deliver-to-department', { deliveryId });
    return true;
  });
}
