import { useCallback, useState } from 'react';
import { ApiError } from '../../api/http';
import { randomKey, type Draft, type DraftPhoto } from '../../draft/store';
import { zh } from '../../i18n/zh-CN';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from '../../draft/limits';
import { pickPhotos } from '../../photos/pick';
import { uploadPhoto } from '../../photos/upload';
import type { DraftPatch } from './useDraft';

/** Refusals that another try cannot fix: the citizen has to pick a different photo. */
export const FINAL_PHOTO_ERRORS = new Set(['content_refused', 'file_too_large', 'not_an_image']);

function describe(e: unknown, photo: DraftPhoto): { code: string; message: string } {
  if (e instanceof ApiError) {
    if (e.status === 413 && !e.message) return { code: 'file_too_large', message: zh.report.photoTooLarge };
    return { code: e.code, message: e.message || zh.report.uploadFailed };
  }
  // Some servers and proxies cut the connection on an oversized body before answering.
  if (photo.size > MAX_PHOTO_BYTES) return { code: 'file_too_large', message: zh.report.photoTooLarge };
  return { code: 'network', message: zh.report.uploadFailed };
}

/** Picks photos and uploads each one at once, tracking progress per photo. */
export function usePhotoUploads(draft: Draft, update: (patch: DraftPatch) => void) {
  // Progress lives outside the draft: it changes many times a second and is not worth saving.
  const [progress, setProgress] = useState<Record<string, number>>({});

  const patchPhoto = useCallback(
    (key: string, patch: Partial<DraftPhoto>, extra?: (d: Draft) => Partial<Draft>) =>
      update((d) => ({
        ...(extra ? extra(d) : {}),
        photos: d.photos.map((p) => (p.key === key ? { ...p, ...patch } : p)),
      })),
    [update],
  );

  const start = useCallback(
    (photo: DraftPhoto) => {
      setProgress((m) => ({ ...m, [photo.key]: 0 }));
      uploadPhoto(photo, (pct) => setProgress((m) => ({ ...m, [photo.key]: pct })))
        .then((upload) =>
          patchPhoto(photo.key, { status: 'done', upload, error: undefined }, (d) =>
            // The first photo that carries a GPS position fills an empty location.
            !d.location && upload.gps ? { location: { ...upload.gps, source: 'photo' } } : {},
          ),
        )
        .catch((e) => patchPhoto(photo.key, { status: 'error', error: describe(e, photo) }));
    },
    [patchPhoto],
  );

  const add = useCallback(async () => {
    const room = MAX_PHOTOS - draft.photos.length;
    if (room <= 0) return;
    const picked = await pickPhotos(room);
    const fresh: DraftPhoto[] = picked.map((p) => ({ ...p, key: randomKey(), status: 'uploading' }));
    if (!fresh.length) return;
    update((d) => ({ photos: [...d.photos, ...fresh].slice(0, MAX_PHOTOS) }));
    fresh.forEach(start);
  }, [draft.photos.length, start, update]);

  const retry = useCallback(
    (photo: DraftPhoto) => {
      patchPhoto(photo.key, { status: 'uploading', error: undefined });
      start(photo);
    },
    [patchPhoto, start],
  );

  const remove = useCallback(
    (key: string) =>
      update((d) => {
        const gone = d.photos.find((p) => p.key === key);
        const photos = d.photos.filter((p) => p.key !== key);
        // A location read from the removed photo leaves with it, unless another photo has one.
        if (d.location?.source === 'photo' && gone?.upload?.gps) {
          const other = photos.find((p) => p.upload?.gps)?.upload?.gps;
          return { photos, location: other ? { ...other, source: 'photo' } : undefined };
        }
        return { photos };
      }),
    [update],
  );

  return { progress, add, retry, remove };
}
