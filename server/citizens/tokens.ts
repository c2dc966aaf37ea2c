import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Citizens' sessions are signed tokens (HMAC-SHA256 with SESSION_SECRET): the
 * mini-program holds one per openid, and nothing needs to be stored per login.
 */
export class CitizenTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlHours = 24 * 7,
  ) {}

  private mac(payload: string) {
    return createHmac('sha256', this.secret).update(`citizen.${payload}`).digest('base64url');
  }

  issue(citizenId: string, now = Date.now()): { token: string; expiresAt: Date } {
    const expiresAt = new Date(now + this.ttlHours * 3600_000);
    const payload = Buffer.from(
      JSON.stringify({ sub: citizenId, exp: Math.floor(expiresAt.getTime() / 1000) }),
    ).toString('base64url');
    return { token: `c1.${payload}.${this.mac(payload)}`, expiresAt };
  }

  verify(token: string, now = Date.now()): string | null {
    const [v, payload, sig] = token.split('.');
    if (v !== 'c1' || !payload || !sig) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const { sub, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return typeof sub === 'string' && exp * 1000 > now ? sub : null;
    } catch {
      return null;
    }
  }
}
