import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's message-push envelope (消息加解密, "safe mode"): the signatures over
 * the push URL and the AES-256-CBC body. Both the official account and the
 * mini-program's customer-service push use it.
 */

/** sha1 of the parts sorted and joined: `signature` over token, timestamp and nonce; `msg_signature` adds Encrypt. */
export function pushSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

export function signatureMatches(expected: string, given: unknown): boolean {
  const g = Buffer.from(String(given ?? '').toLowerCase());
  return g.length === expected.length && timingSafeEqual(g, Buffer.from(expected));
}

/** WeChat pads to 32-byte blocks (PKCS#7 with k = 32), not AES's 16. */
const BLOCK = 32;

export class PushCryptoError extends Error {}

/** The 43-character EncodingAESKey as the 32-byte key; null when it is not one. */
export function aesKeyFrom(encodingAesKey: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) return null;
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return key.length === 32 ? key : null;
}

/**
 * The message inside an `Encrypt` field. Refuses a body for another app: the
 * appid at the end of the plaintext must be ours.
 */
export function decryptPush(key: Buffer, appid: string, encrypted: string): string {
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
  } catch {
    throw new PushCryptoError('Encrypt is not AES-256-CBC under our key');
  }
  const pad = plain.at(-1) ?? 0;
  if (pad < 1 || pad > BLOCK || pad > plain.length) throw new PushCryptoError('bad padding');
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new PushCryptoError('too short');
  const length = body.readUInt32BE(16);
  if (20 + length > body.length) throw new PushCryptoError('bad message length');
  const from = body.subarray(20 + length).toString('utf8');
  if (from !== appid) throw new PushCryptoError('message is for another appid');
  return body.subarray(20, 20 + length).toString('utf8');
}

/** `random`: the 16 leading bytes (tests fix them; WeChat ignores them). */
export function encryptPush(key: Buffer, appid: string, message: string, random = randomBytes(16)): string {
  const text = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  const body = Buffer.concat([random, length, text, Buffer.from(appid, 'utf8')]);
  const pad = BLOCK - (body.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
    'base64',
  );
}
