import type { FileLinks } from '../files/links.js';
import type { UploadRow } from '../db/rows.js';

/** A stored photo as the API shows it: a signed, expiring link and its GPS point, if any. */
export function presentUpload(links: FileLinks, u: Pick<UploadRow, 'id' | 'lat' | 'lng'>) {
  return {
    id: u.id,
    ...links.of(u.id),
    gps: u.lat != null && u.lng != null ? { lat: u.lat, lng: u.lng } : null,
  };
}
