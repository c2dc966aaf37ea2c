import Taro from '@tarojs/taro';
import type { LatLng, Upload } from '../api/types';

export type PhotoStatus = 'uploading' | 'done' | 'error';

export interface DraftPhoto {
  /** Local key for the tile; stable across re-renders and reloads. */
  key: string;
  path: string;
  size: number;
  name?: string;
  status: PhotoStatus;
  upload?: Upload;
  error?: { code: string; message: string };
}

export type LocationSource = 'photo' | 'map' | 'device';

export interface Draft {
  /** Made once per draft and sent with every attempt, so a retry can never open a second case. */
  idempotencyKey: string;
  text: string;
  categoryCode?: string;
  categoryName?: string;
  /** Once the citizen picks a category, suggestions stop overriding it. */
  categoryManual: boolean;
  location?: LatLng & { source: LocationSource };
  address: string;
  photos: DraftPhoto[];
}

const DRAFT_KEY = 'report-draft';

export function randomKey(): string {
  const rnd = () =>
    Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return `${Date.now().toString(36)}-${rnd()}${rnd()}${rnd()}`;
}

export function newDraft(): Draft {
  return { idempotencyKey: randomKey(), text: '', categoryManual: false, address: '', photos: [] };
}

export function isEmpty(d: Draft): boolean {
  return !d.text.trim() && !d.photos.length && !d.address.trim() && !d.location;
}

/** The saved draft, if any. An upload cut short by closing the page is offered for retry. */
export function loadDraft(): Draft | null {
  const d = Taro.getStorageSync(DRAFT_KEY) as Draft | '';
  if (!d || !d.idempotencyKey) return null;
  return {
    ...d,
    photos: (d.photos ?? []).map((p) =>
      p.status === 'uploading' ? { ...p, status: 'error', error: { code: 'interrupted', message: '' } } : p,
    ),
  };
}

export function saveDraft(d: Draft) {
  try {
    Taro.setStorageSync(DRAFT_KEY, d);
  } catch {
    // Storage full: the draft still lives in memory for this visit.
  }
}

export function clearDraft() {
  Taro.removeStorageSync(DRAFT_KEY);
}
