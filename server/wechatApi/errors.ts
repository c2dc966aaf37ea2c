/**
 * The one error the WeChat adapter raises. `code` is stable so jobs and routes can
 * switch on it; `errcode` is WeChat's own number when WeChat answered with one;
 * `retryable` tells a job whether trying again later can succeed.
 */
export type WechatErrorCode =
  | 'invalid_code'
  | 'rate_limited'
  | 'subscription_refused'
  | 'token_invalid'
  | 'content_risky'
  | 'reply_window_closed'
  | 'unavailable'
  | 'wechat_error';

const RETRYABLE: Record<WechatErrorCode, boolean> = {
  invalid_code: false,
  rate_limited: true,
  subscription_refused: false,
  // Another process (or a forced refresh elsewhere) may have replaced the token
  // between our refresh and the retry: a later attempt gets a fresh one.
  token_invalid: true,
  content_risky: false,
  // The citizen has to write again before a customer-service message can go out.
  reply_window_closed: false,
  unavailable: true,
  wechat_error: false,
};

export class WechatError extends Error {
  readonly code: WechatErrorCode;
  readonly errcode?: number;
  readonly retryable: boolean;

  constructor(code: WechatErrorCode, message: string, errcode?: number) {
    super(message);
    this.name = 'WechatError';
    this.code = code;
    if (errcode !== undefined) this.errcode = errcode;
    this.retryable = RETRYABLE[code];
  }
}

/** WeChat's errcodes the service meets, with the code we give them and a plain description. */
const ERRCODES: Record<number, [WechatErrorCode, string]> = {
  [-1]: ['unavailable', 'system busy'],
  40001: ['token_invalid', 'access token invalid or not latest'],
  40014: ['token_invalid', 'access token not valid'],
  41001: ['token_invalid', 'access token missing'],
  42001: ['token_invalid', 'access token expired'],
  40029: ['invalid_code', 'code invalid or expired'],
  40163: ['invalid_code', 'code already used'],
  45009: ['rate_limited', 'daily call quota reached'],
  45011: ['rate_limited', 'call frequency limit reached'],
  43101: ['subscription_refused', 'user refused or has no remaining subscription'],
  87014: ['content_risky', 'content flagged as risky'],
  45015: ['reply_window_closed', 'response out of time limit (48 hours after the user wrote)'],
  45047: ['reply_window_closed', 'out of response count limit'],
  40007: ['wechat_error', 'invalid media_id'],
  40003: ['wechat_error', 'invalid openid'],
  40013: ['wechat_error', 'invalid appid'],
  40125: ['wechat_error', 'invalid app secret'],
  40164: ['wechat_error', 'caller IP not in the whitelist'],
  40037: ['wechat_error', 'invalid template id'],
  41030: ['wechat_error', 'invalid page path'],
  47003: ['wechat_error', 'template data rejected'],
  40226: ['wechat_error', 'high-risk user blocked'],
  40129: ['wechat_error', 'invalid scene'],
  43104: ['wechat_error', 'appid and openid do not match'],
  44002: ['wechat_error', 'empty parameter'],
  47001: ['wechat_error', 'malformed request'],
};

/** Token errcodes after which a fresh token and one retry are worth trying. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/**
 * `errmsg` must already be scrubbed by the caller: WeChat's messages carry a
 * request id worth keeping for its support desk, nothing of ours.
 */
export function fromErrcode(op: string, errcode: number, errmsg?: string): WechatError {
  const [code, description] = ERRCODES[errcode] ?? ['wechat_error', 'request refused'];
  const detail = errmsg ? ` (${errmsg})` : '';
  return new WechatError(code, `wechat ${op}: errcode ${errcode} ${description}${detail}`, errcode);
}

export const unavailable = (op: string, reason: string) => new WechatError('unavailable', `wechat ${op}: ${reason}`);

export const unexpectedReply = (op: string, what: string) =>
  new WechatError('wechat_error', `wechat ${op}: unexpected reply (${what})`);

export const tokenStillInvalid = (op: string, errcode: number) =>
  new WechatError('token_invalid', `wechat ${op}: access token rejected again after a refresh`, errcode);
