import { createHash, createHmac } from 'node:crypto';
import { SmsError, type SmsGateway, type SmsMessage } from './types.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

export interface Tc3Request {
  host: string;
  contentType: string;
  payload: string;
  /** Unix seconds, as sent in X-TC-Timestamp. */
  timestamp: number;
  service: string;
}

/**
 * Tencent Cloud API 3.0 signing (TC3-HMAC-SHA256) of a POST to "/": the canonical request over
 * content-type and host, then the key derived from the secret through the UTC date, the service
 * and "tc3_request". Returns the Authorization header.
 */
export function tc3Authorization(r: Tc3Request, secretId: string, secretKey: string): string {
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${r.contentType}\nhost:${r.host}\n`,
    signedHeaders,
    sha256(r.payload),
  ].join('\n');
  const date = new Date(r.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${r.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(r.timestamp), scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), r.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

export interface TencentOptions {
  baseUrl: string;
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  region: string;
  timeoutMs: number;
}

/** Error codes Tencent documents as throttling or its own faults. */
const retryableCode = (code: string) =>
  code.startsWith('InternalError') ||
  code.startsWith('RequestLimitExceeded') ||
  code === 'LimitExceeded.DeliveryFrequencyLimit';

/** Tencent Cloud SMS, SendSms of API version 2021-01-11, signed with TC3-HMAC-SHA256. */
export class TencentSms implements SmsGateway {
  readonly provider = 'tencent' as const;
  constructor(private readonly o: TencentOptions) {}

  async send(message: SmsMessage, now = new Date()): Promise<{ messageId: string | null }> {
    const url = new URL(this.o.baseUrl);
    const payload = JSON.stringify({
      PhoneNumberSet: [`+86${message.phone}`],
      SmsSdkAppId: this.o.sdkAppId,
      SignName: this.o.signName,
      TemplateId: message.templateId,
      TemplateParamSet: message.params.map((p) => p.value),
    });
    const contentType = 'application/json; charset=utf-8';
    const timestamp = Math.floor(now.getTime() / 1000);
    const authorization = tc3Authorization(
      { host: url.host, contentType, payload, timestamp, service: 'sms' },
      this.o.secretId,
      this.o.secretKey,
    );
    let res: Response;
    try {
      res = await fetch(`${url.origin}/`, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': contentType,
          'x-tc-action': 'SendSms',
          'x-tc-version': '2021-01-11',
          'x-tc-timestamp': String(timestamp),
          'x-tc-region': this.o.region,
        },
        body: payload,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err) {
      throw new SmsError(`tencent: ${(err as Error).message}`, 'network', true);
    }
    type Reply = {
      Response?: {
        Error?: { Code: string; Message: string };
        SendStatusSet?: Array<{ SerialNo: string; Code: string; Message: string }>;
      };
    };
    let reply: Reply;
    try {
      reply = (await res.json()) as Reply;
    } catch {
      throw new SmsError(`tencent: HTTP ${res.status}, not JSON`, `http_${res.status}`, res.status >= 500);
    }
    const error = reply.Response?.Error;
    if (error) throw new SmsError(`tencent: ${error.Code} ${error.Message}`, error.Code, retryableCode(error.Code));
    const status = reply.Response?.SendStatusSet?.[0];
    if (!status) throw new SmsError(`tencent: HTTP ${res.status}, no send status`, `http_${res.status}`, true);
    // The request is accepted as a whole; each number has its own verdict.
    if (status.Code !== 'Ok')
      throw new SmsError(`tencent: ${status.Code} ${status.Message}`, status.Code, retryableCode(status.Code));
    return { messageId: status.SerialNo || null };
  }
}
