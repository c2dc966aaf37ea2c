import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/**
 * Checks a password against the account's hash, or against a throwaway hash when there is no
 * usable account, so an unknown or disabled username takes as long as a wrong password.
 */
export async function verifyLogin(hashed: string | null, password: string): Promise<boolean> {
  if (hashed) return verifyPassword(hashed, password);
  dummy ??= hash(randomBytes(16).toString('hex'));
  await verifyPassword(await dummy, password);
  return false;
}

/** Readable one-time passwords for seeded accounts: no 0/O or 1/l confusion. */
export function generatePassword(length = 14): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
