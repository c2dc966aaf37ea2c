import { createHmac, randomUUID } from 'node:crypto';
import { SmsError, type SmsGateway, type SmsMessage } from './types.js';

/**
 * RFC 3986 percent-encoding as Alibaba Cloud's RPC signature requires it: only A–Z a–z 0–9 - _ . ~
 * stay as they are, a space is %20, and the hex digits are upper case.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The RPC (signature version 1.0) signature: Base64(HMAC-SHA1(secret + "&", method & %2F & the
 * percent-encoded, name-sorted canonical query)). `params` excludes Signature.
 */
export function aliyunSignature(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

export interface AliyunOptions {
  baseUrl: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  timeoutMs: number;
}

/** Codes Aliyun documents for throttling and its own faults: worth another try later. */
const RETRYABLE = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'isp.SYSTEM_ERROR', 'Throttling']);

/** Alibaba Cloud SMS (dysmsapi, version 2017-05-25), SendSms over the RPC style with an HMAC-SHA1 signature. */
export class AliyunSms implements SmsGateway {
  readonly provider = 'aliyun' as const;
  constructor(private readonly o: AliyunOptions) {}

  async send(message: SmsMessage, now = new Date()): Promise<{ messageId: string | null }> {
    const params: Record<string, string> = {
      AccessKeyId: this.o.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: message.phone,
      RegionId: 'cn-hangzhou',
      SignName: this.o.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: message.templateId,
      TemplateParam: JSON.stringify(Object.fromEntries(message.params.map((p) => [p.name, p.value]))),
      Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    const signature = aliyunSignature('POST', params, this.o.accessKeySecret);
    const body = Object.entries({ ...params, Signature: signature })
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');
    let res: Response;
    try {
      res = await fetch(`${this.o.baseUrl.replace(/\/+$/, '')}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err) {
      throw new SmsError(`aliyun: ${(err as Error).message}`, 'network', true);
    }
    const text = await res.text();
    let reply: { Code?: string; Message?: string; BizId?: string };
    try {
      reply = JSON.parse(text);
    } catch {
      throw new SmsError(`aliyun: HTTP ${res.status}, not JSON`, `http_${res.status}`, res.status >= 500);
    }
    if (reply.Code === 'OK') return { messageId: reply.BizId ?? null };
    const code = reply.Code ?? `http_${res.status}`;
    throw new SmsError(`aliyun: ${code} ${reply.Message ?? ''}`.trim(), code, RETRYABLE.has(code) || res.status >= 500);
  }
}
