import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { uploads } from '../db/schema.js';
import { processImage } from './images.js';

export type UploadRow = typeof uploads.$inferSelect;

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

export function presentUpload(u: Pick<UploadRow, 'id' | 'lat' | 'lng'>) {
  return {
    id: u.id,
    url: `/files/${u.id}`,
    thumbUrl: `/files/${u.id}/thumb`,
    gps: u.lat != null && u.lng != null ? { lat: u.lat, lng: u.lng } : null,
  };
}

export async function getUpload(services: Services, id: string): Promise<UploadRow | undefined> {
  const [row] = await services.database.db.select().from(uploads).where(eq(uploads.id, id));
  return row;
}
