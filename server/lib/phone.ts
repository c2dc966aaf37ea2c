import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** Digits only, with +86 / 0086 dropped, so one citizen has one hash. */
export function normalizePhone(input: string): string {
  const digits = input.replace(/\D/g, '');
  return digits.replace(/^(0086|86)(?=1\d{10}$)/, '');
}

export function isPhone(input: string): boolean {
  return /^(1[3-9]\d{9}|0\d{9,11}|\d{5,8})$/.test(normalizePhone(input));
}

export function maskPhone(input: string): string {
  const p = normalizePhone(input);
  if (/^1\d{10}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  if (p.length > 6) return `${p.slice(0, 3)}****${p.slice(-4)}`;
  return '****';
}

export class PhoneVault {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(encKeyHex: string, hashKeyHex: string) {
    this.encKey = Buffer.from(encKeyHex, 'hex');
    this.hashKey = Buffer.from(hashKeyHex, 'hex');
  }

  /** Keyed, so the lookup column cannot be reversed by hashing all 10^11 numbers. */
  hash(phone: string): string {
    return createHmac('sha256', this.hashKey).update(normalizePhone(phone)).digest('hex');
  }

  encrypt(phone: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(normalizePhone(phone), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  decrypt(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((s) => Buffer.from(s, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}
