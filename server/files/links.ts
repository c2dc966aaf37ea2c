import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links to stored photos (/files/:id?exp=…&sig=…), for the places that cannot send
 * a session: an <img> in the mini-program, WeChat's content check, an Open311 partner. The expiry
 * is rounded up to the next whole period, so a page shows the same link (and the browser's cached
 * copy) for a while, and a link lives between one and two periods.
 */
export class FileLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlMinutes: number,
  ) {
    this.key = createHmac('sha256', secret).update('file-links').digest();
  }

  private mac(id: string, thumb: boolean, exp: number) {
    return createHmac('sha256', this.key)
      .update(`${id}:${thumb ? 'thumb' : 'file'}:${exp}`)
      .digest('base64url');
  }

  path(id: string, thumb = false, now = Date.now()): string {
    const period = this.ttlMinutes * 60;
    const exp = (Math.floor(now / 1000 / period) + 2) * period;
    return `/files/${id}${thumb ? '/thumb' : ''}?exp=${exp}&sig=${this.mac(id, thumb, exp)}`;
  }

  /** Both links of a photo, as presenters hand them out. */
  of(id: string): { url: string; thumbUrl: string } {
    return { url: this.path(id), thumbUrl: this.path(id, true) };
  }

  verify(id: string, thumb: boolean, exp: unknown, sig: unknown, now = Date.now()): boolean {
    if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(exp)) return false;
    if (Number(exp) * 1000 <= now) return false;
    const expected = Buffer.from(this.mac(id, thumb, Number(exp)));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
