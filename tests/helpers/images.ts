import sharp from 'sharp';

const dms = (deg: number) => {
  const d = Math.floor(deg);
  const mFloat = (deg - d) * 60;
  const m = Math.floor(mFloat);
  const s = Math.round((mFloat - m) * 60 * 100);
  return `${d}/1 ${m}/1 ${s}/100`;
};

/** A real JPEG, optionally carrying GPS EXIF as a phone camera writes it. */
export async function jpeg(
  opts: { gps?: { lat: number; lng: number }; width?: number; height?: number; color?: string } = {},
): Promise<Buffer> {
  const img = sharp({
    create: { width: opts.width ?? 640, height: opts.height ?? 480, channels: 3, background: opts.color ?? '#7a8b99' },
  }).jpeg({ quality: 80 });
  if (!opts.gps) return img.toBuffer();
  return img
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: dms(opts.gps.lat),
        GPSLongitudeRef: 'E',
        GPSLongitude: dms(opts.gps.lng),
      },
    } as any)
    .toBuffer();
}

/** Random-noise pixels compress badly, so a modest size gives a large file. */
export async function bigJpeg(bytesAtLeast: number): Promise<Buffer> {
  let side = 2000;
  for (;;) {
    const raw = Buffer.alloc(side * side * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
    const buf = await sharp(raw, { raw: { width: side, height: side, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    if (buf.length >= bytesAtLeast) return buf;
    side = Math.ceil(side * 1.4);
  }
}
