import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import { caseEvents, cases, reports, uploads } from '../db/schema.js';
import { processImage } from './images.js';
import { tooManyRequests } from '../errors.js';
import type { UploadRow } from '../db/rows.js';

export type { UploadRow } from '../db/rows.js';

/**
 * Uploads per uploader and per address (ten times looser: many phones share a carrier's address),
 * counted before the body is read.
 */
export async function checkUploadRate(services: Services, uploader: string, address: string): Promise<void> {
  const wait = Math.max(
    await services.limits.uploads.take(uploader),
    await services.limits.uploadsByAddress.take(address),
  );
  if (wait > 0) throw tooManyRequests('上传过于频繁，请稍后再试', wait);
}

export async function storeImage(
  services: Services,
  owner: { type: 'citizen' | 'staff'; id: string },
  data: Buffer,
): Promise<UploadRow> {
  const image = await processImage(data);
  const id = randomUUID();
  const day = new Date().toISOString().slice(0, 10);
  const path = `${day}/${id}.jpg`;
  const thumbPath = `${day}/${id}.thumb.jpg`;
  await services.files.put(path, image.display);
  await services.files.put(thumbPath, image.thumb);
  const [row] = await services.database.db
    .insert(uploads)
    .values({
      id,
      ownerType: owner.type,
      ownerId: owner.id,
      mime: 'image/jpeg',
      bytes: image.display.length,
      width: image.width,
      height: image.height,
      path,
      thumbPath,
      lat: image.gps?.lat ?? null,
      lng: image.gps?.lng ?? null,
    })
    .returning();
  return row;
}

export async function getUpload(services: Services, id: string): Promise<UploadRow | undefined> {
  const [row] = await services.database.db.select().from(uploads).where(eq(uploads.id, id));
  return row;
}

/** The cases a photo belongs to (a report's photos or a step's attachments), for the policy's say on who sees it. */
export function casesOfUpload(services: Services, id: string) {
  const list = JSON.stringify([id]);
  return services.database.db
    .select({ departmentId: cases.departmentId })
    .from(cases)
    .where(
      sql`${cases.id} in (select ${reports.caseId} from ${reports} where ${reports.photos} @> ${list}::jsonb)
        or ${cases.id} in (select ${caseEvents.caseId} from ${caseEvents} where ${caseEvents.attachments} @> ${list}::jsonb)`,
    );
}
