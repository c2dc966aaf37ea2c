import type sharpModule from 'sharp';
import exifr from 'exifr';
import { AppError } from '../errors.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/**
 * Decoded size, checked by sharp from the header before it decodes: a tiny PNG can claim
 * 50 megapixels and take hundreds of MB to decode. 40 MP is above what phones save by default.
 */
export const MAX_PIXELS = 40_000_000;

const signatures: Array<{ mime: string; test: (b: Buffer) => boolean }> = [
  { mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: 'image/png',
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { mime: 'image/webp', test: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' },
  {
    mime: 'image/heic',
    test: (b) =>
      b.toString('latin1', 4, 8) === 'ftyp' && /^(heic|heix|mif1|msf1|hevc)$/.test(b.toString('latin1', 8, 12)),
  },
];

/** The type by the file's first bytes; its name and declared type are not trusted. */
export function sniffImage(buf: Buffer): string | null {
  return signatures.find((s) => s.test(buf))?.mime ?? null;
}

export interface ProcessedImage {
  mime: string;
  width: number;
  height: number;
  gps: { lat: number; lng: number } | null;
  /** Re-encoded for display: upright, no EXIF (no GPS, no device), at most 2560 px. */
  display: Buffer;
  thumb: Buffer;
}

export const fileTooLarge = () =>
  new AppError(413, 'file_too_large', `图片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
export const notAnImage = () => new AppError(415, 'not_an_image', '只能上传 JPG、PNG、WebP 或 HEIC 图片');

export async function readGps(buf: Buffer): Promise<{ lat: number; lng: number } | null> {
  try {
    const gps = await exifr.gps(buf);
    if (
      gps &&
      Number.isFinite(gps.latitude) &&
      Number.isFinite(gps.longitude) &&
      (gps.latitude !== 0 || gps.longitude !== 0)
    ) {
      return { lat: gps.latitude, lng: gps.longitude };
    }
  } catch {
    // No or broken EXIF: a photo without a place is still a photo.
  }
  return null;
}

export const tooManyPixels = () =>
  new AppError(413, 'image_too_large', `图片像素过多（最多 ${MAX_PIXELS / 1_000_000} 百万像素），请缩小后再上传`);

export async function processImage(buf: Buffer): Promise<ProcessedImage> {
  if (buf.length > MAX_UPLOAD_BYTES) throw fileTooLarge();
  const mime = sniffImage(buf);
  if (!mime) throw notAnImage();
  // sharp (libvips) is loaded with the first photo, not with the service.
  const { default: sharp } = await import('sharp');
  let meta: Awaited<ReturnType<ReturnType<typeof sharpModule>['metadata']>>;
  try {
    meta = await sharp(buf).metadata();
  } catch {
    throw notAnImage();
  }
  if (!meta.width || !meta.height) throw notAnImage();
  if (meta.width * meta.height > MAX_PIXELS) throw tooManyPixels();
  const gps = await readGps(buf);
  try {
    const base = sharp(buf, { limitInputPixels: MAX_PIXELS }).rotate();
    const display = await base
      .clone()
      .resize({ width: 2560, height: 2560, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await base.clone().resize({ width: 360, height: 360, fit: 'cover' }).jpeg({ quality: 75 }).toBuffer();
    return { mime, width: display.info.width, height: display.info.height, gps, display: display.data, thumb };
  } catch {
    throw notAnImage();
  }
}
