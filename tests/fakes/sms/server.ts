import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local SMS provider for tests, Aliyun (dysmsapi 2017-05-25, RPC HMAC-SHA1) or Tencent
 * (SendSms 2021-01-11, TC3-HMAC-SHA256). It checks each request the way the provider documents:
 * the signature recomputed from what arrived on the wire with the key pair it knows (written here
 * from the documentation, not taken from the adapter), the clock skew, a reused nonce, the
 * template's approval and its variables. It answers in the provider's own shapes.
 */
export interface SentSms {
  provider: 'aliyun' | 'tencent';
  phone: string;
  signName: string;
  templateId: string;
  /** Variables by name (Aliyun) or by position, as "1", "2"… (Tencent). */
  params: Record<string, string>;
}

export interface FakeSms {
  url: string;
  keyId: string;
  keySecret: string;
  sdkAppId: string;
  sent: SentSms[];
  /** Requests refused, with the provider's error code. */
  refused: string[];
  /** The next n sends answer with this provider error code. */
  failNext(code: string, n?: number): void;
  close(): Promise<void>;
}

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeSms(
  provider: 'aliyun' | 'tencent',
  /** Approved templates: id → variable names (Aliyun) or count of variables (Tencent, by position). */
  templates: Record<string, string[]>,
): Promise<FakeSms> {
  const keyId = provider === 'aliyun' ? 'LTAI-test-key' : 'AKID-test-secret-id';
  const keySecret = 'test-secret-' + randomUUID();
  const sdkAppId = '1400000001';
  const sent: SentSms[] = [];
  const refused: string[] = [];
  const nonces = new Set<string>();
  let failures: { code: string; n: number } | null = null;

  const aliyun = (body: string): { status: number; json: object } => {
    const form = new URLSearchParams(body);
    const p = Object.fromEntries(form);
    const no = (Code: string, Message: string, status = 400) => {
      refused.push(Code);
      return { status, json: { RequestId: randomUUID(), Code, Message, HostId: 'dysmsapi.aliyuncs.com' } };
    };
    if (p.AccessKeyId !== keyId) return no('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
    if (p.SignatureMethod !== 'HMAC-SHA1' || p.SignatureVersion !== '1.0')
      return no('InvalidParameter', 'SignatureMethod or SignatureVersion');
    const { Signature, ...rest } = p;
    const canonical = Object.keys(rest)
      .sort()
      .map((k) => `${enc(k)}=${enc(rest[k])}`)
      .join('&');
    const expected = createHmac('sha1', `${keySecret}&`)
      .update(`POST&${enc('/')}&${enc(canonical)}`)
      .digest('base64');
    if (Signature !== expected)
      return no('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    if (Math.abs(Date.parse(p.Timestamp) - Date.now()) > 15 * 60_000 || !/Z$/.test(p.Timestamp ?? ''))
      return no('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    if (nonces.has(p.SignatureNonce)) return no('SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.add(p.SignatureNonce);
    if (p.Action !== 'SendSms' || p.Version !== '2017-05-25')
      return no('InvalidAction', 'Specified action is not valid.');
    const ok = (Code: string, Message: string) => {
      refused.push(Code);
      return { status: 200, json: { RequestId: randomUUID(), Code, Message } };
    };
    if (failures && failures.n-- > 0) return ok(failures.code, 'injected');
    if (!/^1[3-9]\d{9}$/.test(p.PhoneNumbers ?? '')) return ok('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    const vars = templates[p.TemplateCode];
    if (!vars) return ok('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    let params: Record<string, string>;
    try {
      params = JSON.parse(p.TemplateParam ?? '{}');
    } catch {
      return ok('isv.INVALID_JSON_PARAM', 'JSON参数不合法');
    }
    if (Object.keys(params).sort().join() !== [...vars].sort().join())
      return ok('isv.TEMPLATE_MISSING_PARAMETERS', '模板变量缺少对应参数值');
    sent.push({ provider, phone: p.PhoneNumbers, signName: p.SignName, templateId: p.TemplateCode, params });
    return { status: 200, json: { RequestId: randomUUID(), Code: 'OK', Message: 'OK', BizId: `${Date.now()}^0` } };
  };

  const tencent = (req: IncomingMessage, body: string): { status: number; json: object } => {
    const no = (Code: string, Message: string) => {
      refused.push(Code);
      return { status: 200, json: { Response: { Error: { Code, Message }, RequestId: randomUUID() } } };
    };
    const auth = String(req.headers.authorization ?? '');
    const m = auth.match(
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/,
    );
    if (!m) return no('AuthFailure.InvalidAuthorization', 'Authorization header is malformed.');
    const [, id, date, service, signedHeaders, signature] = m;
    if (id !== keyId) return no('AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
    const ts = Number(req.headers['x-tc-timestamp']);
    if (!Number.isInteger(ts) || Math.abs(ts - Date.now() / 1000) > 300)
      return no('AuthFailure.SignatureExpire', 'Signature expired.');
    if (new Date(ts * 1000).toISOString().slice(0, 10) !== date || service !== 'sms')
      return no('AuthFailure.InvalidAuthorization', 'Credential scope does not match.');
    const names = signedHeaders.split(';');
    if (!names.includes('content-type') || !names.includes('host'))
      return no('AuthFailure.InvalidAuthorization', 'content-type and host must be signed.');
    const hex = (s: string) => createHash('sha256').update(s).digest('hex');
    const canonicalHeaders = names
      .map(
        (n) =>
          `${n}:${String(req.headers[n] ?? '')
            .trim()
            .toLowerCase()}\n`,
      )
      .join('');
    const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${hex(body)}`;
    const toSign = `TC3-HMAC-SHA256\n${ts}\n${date}/${service}/tc3_request\n${hex(canonicalRequest)}`;
    let k = createHmac('sha256', `TC3${keySecret}`).update(date).digest();
    k = createHmac('sha256', k).update(service).digest();
    k = createHmac('sha256', k).update('tc3_request').digest();
    if (createHmac('sha256', k).update(toSign).digest('hex') !== signature)
      return no('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    if (req.headers['x-tc-action'] !== 'SendSms' || req.headers['x-tc-version'] !== '2021-01-11')
      return no('InvalidAction', 'The action or version is not valid.');
    if (failures && failures.n-- > 0) return no(failures.code, 'injected');
    let p: {
      PhoneNumberSet?: string[];
      SmsSdkAppId?: string;
      SignName?: string;
      TemplateId?: string;
      TemplateParamSet?: string[];
    };
    try {
      p = JSON.parse(body);
    } catch {
      return no('InvalidParameter', 'The body is not JSON.');
    }
    if (p.SmsSdkAppId !== sdkAppId) return no('InvalidParameterValue.SdkAppIdNotExist', 'SdkAppId not exist.');
    const vars = p.TemplateId ? templates[p.TemplateId] : undefined;
    if (!vars) return no('FailedOperation.TemplateIncorrectOrUnapproved', 'Template is not approved or not exist.');
    if ((p.TemplateParamSet ?? []).length !== vars.length)
      return no('FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'Template parameters do not match.');
    const phone = (p.PhoneNumberSet ?? [])[0] ?? '';
    const serial = randomUUID();
    if (!/^\+861[3-9]\d{9}$/.test(phone)) {
      refused.push('InvalidParameterValue.IncorrectPhoneNumber');
      return {
        status: 200,
        json: {
          Response: {
            SendStatusSet: [
              {
                SerialNo: '',
                PhoneNumber: phone,
                Fee: 0,
                Code: 'InvalidParameterValue.IncorrectPhoneNumber',
                Message: 'incorrect phone number',
              },
            ],
            RequestId: randomUUID(),
          },
        },
      };
    }
    sent.push({
      provider,
      phone: phone.slice(3),
      signName: p.SignName ?? '',
      templateId: p.TemplateId!,
      params: Object.fromEntries((p.TemplateParamSet ?? []).map((v, i) => [String(i + 1), v])),
    });
    return {
      status: 200,
      json: {
        Response: {
          SendStatusSet: [
            {
              SerialNo: serial,
              PhoneNumber: phone,
              Fee: 1,
              SessionContext: '',
              Code: 'Ok',
              Message: 'send success',
              IsoCode: 'CN',
            },
          ],
          RequestId: randomUUID(),
        },
      },
    };
  };

  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const out =
      req.method !== 'POST' ? { status: 405, json: {} } : provider === 'aliyun' ? aliyun(body) : tencent(req, body);
    res.writeHead(out.status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(out.json));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    keyId,
    keySecret,
    sdkAppId,
    sent,
    refused,
    failNext(code, n = 1) {
      failures = { code, n };
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
