import { XMLParser } from 'fast-xml-parser';
import { aesKeyFrom, decryptPush, pushSignature, PushCryptoError, signatureMatches } from './pushCrypto.js';

/**
 * A message WeChat pushes to our server URL (official account, or a
 * mini-program's customer-service push), as XML or JSON, plain or in safe
 * mode. Field names are WeChat's; values are all strings as they came.
 */
export type PushFields = Record<string, string>;

export interface PushEndpoint {
  token: string;
  /** EncodingAESKey; empty for an account in plain mode. */
  aesKey: string;
  appid: string;
}

export type PushOutcome =
  | { ok: true; fields: PushFields; raw: Record<string, unknown>; format: 'xml' | 'json'; encrypted: boolean }
  | { ok: false; reason: 'bad_signature' | 'bad_body' | 'not_configured' };

const xml = new XMLParser({ parseTagValue: false, processEntities: true, trimValues: false });

/** The <xml> (or JSON object) as flat strings; nested values (a media check's result) are kept as JSON text. */
export function parsePushBody(
  body: string,
): { fields: PushFields; raw: Record<string, unknown>; format: 'xml' | 'json' } | null {
  const text = body.trim();
  let object: unknown;
  let format: 'xml' | 'json';
  try {
    if (text.startsWith('<')) {
      object = xml.parse(text)?.xml;
      format = 'xml';
    } else if (text.startsWith('{')) {
      object = JSON.parse(text);
      format = 'json';
    } else return null;
  } catch {
    return null;
  }
  if (!object || typeof object !== 'object' || Array.isArray(object)) return null;
  const fields: PushFields = {};
  for (const [key, value] of Object.entries(object)) {
    fields[key] = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value ?? '');
  }
  return { fields, raw: object as Record<string, unknown>, format };
}

/** The URL check (GET with echostr): the echostr to answer with, or null when the signature does not hold. */
export function verifyUrl(endpoint: PushEndpoint, query: Record<string, unknown>): string | null {
  const q = (k: string) => String(query[k] ?? '');
  if (!endpoint.token || !signatureMatches(pushSignature(endpoint.token, q('timestamp'), q('nonce')), q('signature')))
    return null;
  // Safe mode signs the URL check with msg_signature over the echostr, which then comes encrypted.
  if (query.msg_signature !== undefined) {
    const key = aesKeyFrom(endpoint.aesKey);
    const echostr = q('echostr');
    if (!key) return null;
    if (!signatureMatches(pushSignature(endpoint.token, q('timestamp'), q('nonce'), echostr), q('msg_signature')))
      return null;
    try {
      return decryptPush(key, endpoint.appid, echostr);
    } catch {
      return null;
    }
  }
  return q('echostr');
}

/**
 * Checks a push and opens it. `signature` (token, timestamp, nonce) is checked
 * on every push; in safe mode (`encrypt_type=aes`) `msg_signature` over the
 * Encrypt field too, and the plaintext must name our appid.
 */
export function openPush(endpoint: PushEndpoint, query: Record<string, unknown>, body: string): PushOutcome {
  if (!endpoint.token) return { ok: false, reason: 'not_configured' };
  const q = (k: string) => String(query[k] ?? '');
  if (!signatureMatches(pushSignature(endpoint.token, q('timestamp'), q('nonce')), q('signature')))
    return { ok: false, reason: 'bad_signature' };
  const outer = parsePushBody(body);
  if (!outer) return { ok: false, reason: 'bad_body' };
  const encrypted = outer.fields.Encrypt;
  if (q('encrypt_type') === 'aes' || encrypted !== undefined) {
    const key = aesKeyFrom(endpoint.aesKey);
    if (!key) return { ok: false, reason: 'not_configured' };
    if (!encrypted) return { ok: false, reason: 'bad_body' };
    if (!signatureMatches(pushSignature(endpoint.token, q('timestamp'), q('nonce'), encrypted), q('msg_signature')))
      return { ok: false, reason: 'bad_signature' };
    let inner: ReturnType<typeof parsePushBody>;
    try {
      inner = parsePushBody(decryptPush(key, endpoint.appid, encrypted));
    } catch (err) {
      if (err instanceof PushCryptoError) return { ok: false, reason: 'bad_signature' };
      throw err;
    }
    if (!inner) return { ok: false, reason: 'bad_body' };
    return { ok: true, ...inner, encrypted: true };
  }
  return { ok: true, ...outer, encrypted: false };
}
