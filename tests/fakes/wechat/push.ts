import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * WeChat's side of the message push, written from the documentation
 * (消息推送, 消息加解密) and on purpose not with the service's code: the XML with
 * CDATA values, the signature over token, timestamp and nonce, and in safe
 * mode the AES-256-CBC envelope with its msg_signature.
 */

export interface PushAccount {
  /** The account's own id (gh_…), ToUserName of every push. */
  username: string;
  appid: string;
  token: string;
  /** EncodingAESKey: pushes go in safe mode when set. */
  aesKey?: string;
  format?: 'xml' | 'json';
}

export type PushFields = Record<string, string | number>;

/** Numbers bare, text in CDATA, as WeChat writes them. */
export function toXml(fields: PushFields): string {
  const parts = Object.entries(fields).map(([k, v]) =>
    typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`,
  );
  return `<xml>${parts.join('')}</xml>`;
}

const sha1 = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');

export function wechatEncrypt(aesKey: string, appid: string, message: string): string {
  const key = Buffer.from(aesKey + '=', 'base64');
  const msg = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appid)]);
  const n = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(n, n)])), cipher.final()]).toString('base64');
}

export function wechatDecrypt(aesKey: string, encrypted: string): { message: string; appid: string } {
  const key = Buffer.from(aesKey + '=', 'base64');
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
  const body = plain.subarray(0, plain.length - plain[plain.length - 1]);
  const len = body.readUInt32BE(16);
  return { message: body.subarray(20, 20 + len).toString(), appid: body.subarray(20 + len).toString() };
}

export interface SignedPush {
  query: Record<string, string>;
  body: string;
  contentType: string;
}

/** A push as WeChat sends it to the server URL: signed, and in safe mode encrypted. */
export function signedPush(account: PushAccount, fields: PushFields): SignedPush {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomBytes(4).readUInt32BE());
  const json = account.format === 'json';
  const message = json ? JSON.stringify(fields) : toXml(fields);
  const query: Record<string, string> = {
    signature: sha1(account.token, timestamp, nonce),
    timestamp,
    nonce,
    openid: String(fields.FromUserName ?? ''),
  };
  const contentType = json ? 'application/json' : 'text/xml';
  if (!account.aesKey) return { query, body: message, contentType };
  const encrypted = wechatEncrypt(account.aesKey, account.appid, message);
  query.encrypt_type = 'aes';
  query.msg_signature = sha1(account.token, timestamp, nonce, encrypted);
  const envelope = { ToUserName: account.username, Encrypt: encrypted };
  return { query, body: json ? JSON.stringify(envelope) : toXml(envelope), contentType };
}

/** WeChat's URL check (GET with echostr). */
export function urlCheck(account: PushAccount, echostr: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomBytes(4).readUInt32BE());
  return { signature: sha1(account.token, timestamp, nonce), timestamp, nonce, echostr };
}

/** A random EncodingAESKey as the console generates one: 43 letters and digits. */
export function newAesKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(43), (b) => alphabet[b % alphabet.length]).join('');
}
