import { inspect } from 'node:util';
import type { Logger } from 'pino';
import { z } from 'zod';
import { fromErrcode, tokenStillInvalid, TOKEN_ERRCODES, unexpectedReply, WechatError } from './errors.js';
import { chunk } from './text.js';
import { AccessTokenCache, type IssuedToken } from './token.js';
import { download, exchange, type WireReply } from './transport.js';
import type {
  ContentVerdict,
  MediaCheckInput,
  SubscribeMessage,
  Suggest,
  TextCheckInput,
  WechatGateway,
  WechatPhone,
  WechatSession,
} from './types.js';

export interface WechatApiOptions {
  /** https://api.weixin.qq.com in production; a local fake in tests. */
  baseUrl: string;
  appid: string;
  secret: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; decides when the cached token is due. */
  now?: () => number;
  logger?: Logger;
  /** Deadline of each HTTP request, body included. */
  timeoutMs?: number;
  /**
   * `stable` (POST /cgi-bin/stable_token) by default: in its normal mode a refresh
   * does not invalidate the token other processes of the same app hold, which the
   * classic GET /cgi-bin/token does.
   */
  tokenEndpoint?: 'stable' | 'classic';
}

const DEFAULT_TIMEOUT_MS = 5_000;
/** msg_sec_check takes at most 2,500 characters; longer text is checked piece by piece. */
const TEXT_CHECK_MAX = 2_500;

const tokenReply = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const sessionReply = z.object({
  openid: z.string().min(1),
  session_key: z.string().min(1),
  unionid: z.string().min(1).optional(),
});
const phoneReply = z.object({
  phone_info: z.object({ phoneNumber: z.string(), purePhoneNumber: z.string(), countryCode: z.string() }),
});
const suggestSchema = z.enum(['pass', 'review', 'risky']);
const textCheckReply = z.object({
  trace_id: z.string().optional(),
  result: z.object({ suggest: suggestSchema, label: z.number().optional() }),
});
const mediaCheckReply = z.object({ trace_id: z.string().min(1) });

const SEVERITY: Record<Suggest, number> = { pass: 0, review: 1, risky: 2 };

interface CallSpec {
  op: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Needs `access_token` (every call but code2session and the token itself). */
  token?: boolean;
}

/** The only code that talks to WeChat's servers. */
export class WechatApi implements WechatGateway {
  readonly #base: string;
  readonly #appid: string;
  readonly #secret: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #tokenEndpoint: 'stable' | 'classic';
  readonly #tokens: AccessTokenCache;
  readonly #log?: Logger;

  constructor(options: WechatApiOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#appid = options.appid;
    this.#secret = options.secret;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#tokenEndpoint = options.tokenEndpoint ?? 'stable';
    this.#log = options.logger;
    this.#tokens = new AccessTokenCache((force) => this.#fetchToken(force), options.now ?? Date.now);
  }

  async code2Session(jsCode: string): Promise<WechatSession> {
    const op = 'jscode2session';
    const reply = await this.#call({
      op,
      method: 'GET',
      path: '/sns/jscode2session',
      query: { appid: this.#appid, secret: this.#secret, js_code: jsCode, grant_type: 'authorization_code' },
    });
    const s = this.#parse(op, sessionReply, reply);
    return session(s.openid, s.unionid, s.session_key);
  }

  async getPhoneNumber(code: string): Promise<WechatPhone> {
    const op = 'getuserphonenumber';
    const reply = await this.#call({
      op,
      method: 'POST',
      path: '/wxa/business/getuserphonenumber',
      body: { code },
      token: true,
    });
    const { phoneNumber, purePhoneNumber, countryCode } = this.#parse(op, phoneReply, reply).phone_info;
    return { phoneNumber, purePhoneNumber, countryCode };
  }

  /** The worst verdict over the whole text: one risky piece makes the text risky. */
  async msgSecCheck({ openid, content, scene }: TextCheckInput): Promise<ContentVerdict> {
    let worst: ContentVerdict | undefined;
    for (const piece of chunk(content, TEXT_CHECK_MAX)) {
      if (!piece.trim()) continue;
      const verdict = await this.#checkText(openid, piece, scene);
      if (!worst || SEVERITY[verdict.suggest] > SEVERITY[worst.suggest]) worst = verdict;
      if (verdict.suggest === 'risky') break;
    }
    // Blank text has nothing to check, and WeChat would refuse it as an empty parameter.
    return worst ?? { pass: true, suggest: 'pass' };
  }

  async mediaCheckAsync({ openid, mediaUrl, mediaType, scene = 2 }: MediaCheckInput): Promise<{ traceId: string }> {
    const op = 'media_check_async';
    const reply = await this.#call({
      op,
      method: 'POST',
      path: '/wxa/media_check_async',
      body: { media_url: mediaUrl, media_type: mediaType === 'image' ? 2 : 1, version: 2, scene, openid },
      token: true,
    });
    return { traceId: this.#parse(op, mediaCheckReply, reply).trace_id };
  }

  async sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    const data = Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }]));
    await this.#call({
      op: 'subscribe/send',
      method: 'POST',
      path: '/cgi-bin/message/subscribe/send',
      body: {
        touser: message.touser,
        template_id: message.templateId,
        ...(message.page ? { page: message.page } : {}),
        miniprogram_state: message.miniprogramState ?? 'formal',
        lang: 'zh_CN',
        data,
      },
      token: true,
    });
  }

  /** 客服消息: text to a user who wrote within the last 48 hours (45015 / 45047 otherwise). */
  async sendCustomText(touser: string, content: string): Promise<void> {
    await this.#call({
      op: 'message/custom/send',
      method: 'POST',
      path: '/cgi-bin/message/custom/send',
      body: { touser, msgtype: 'text', text: { content } },
      token: true,
    });
  }

  /** A file a user sent (image, voice), by the MediaId of its push; kept by WeChat for three days. */
  async getMedia(mediaId: string): Promise<{ data: Buffer; contentType: string }> {
    const op = 'media/get';
    const fetchWith = (token: string) => {
      const url = new URL(`${this.#base}/cgi-bin/media/get`);
      url.searchParams.set('access_token', token);
      url.searchParams.set('media_id', mediaId);
      return download(this.#fetch, { op, method: 'GET', url }, this.#timeoutMs);
    };
    const token = await this.#tokens.get();
    let got = await fetchWith(token);
    if ('reply' in got && TOKEN_ERRCODES.has(got.reply.errcode ?? 0)) {
      got = await fetchWith(await this.#tokens.replace(token));
      if ('reply' in got && TOKEN_ERRCODES.has(got.reply.errcode ?? 0)) throw tokenStillInvalid(op, got.reply.errcode!);
    }
    if ('reply' in got) {
      this.#check(op, got.reply);
      throw unexpectedReply(op, 'JSON instead of a file');
    }
    return got;
  }

  async #checkText(openid: string, content: string, scene: number): Promise<ContentVerdict> {
    const op = 'msg_sec_check';
    const reply = await this.#call({
      op,
      method: 'POST',
      path: '/wxa/msg_sec_check',
      body: { content, version: 2, scene, openid },
      token: true,
    });
    const { trace_id, result } = this.#parse(op, textCheckReply, reply);
    return {
      pass: result.suggest !== 'risky',
      suggest: result.suggest,
      ...(result.label !== undefined ? { label: result.label } : {}),
      ...(trace_id ? { traceId: trace_id } : {}),
    };
  }

  async #call(spec: CallSpec): Promise<WireReply> {
    try {
      if (!spec.token) return this.#check(spec.op, await this.#send(spec));
      const token = await this.#tokens.get();
      let reply = await this.#send(spec, token);
      if (TOKEN_ERRCODES.has(reply.errcode ?? 0)) {
        this.#log?.info({ op: spec.op, errcode: reply.errcode }, 'wechat refused the access token; refreshing');
        reply = await this.#send(spec, await this.#tokens.replace(token));
        if (TOKEN_ERRCODES.has(reply.errcode ?? 0)) throw tokenStillInvalid(spec.op, reply.errcode!);
      }
      return this.#check(spec.op, reply);
    } catch (err) {
      if (err instanceof WechatError) {
        // A used login code or a refused subscription is the citizen's doing, not a fault.
        const level = err.code === 'invalid_code' || err.code === 'subscription_refused' ? 'info' : 'warn';
        this.#log?.[level](
          { op: spec.op, code: err.code, errcode: err.errcode, retryable: err.retryable },
          'wechat call failed',
        );
      }
      throw err;
    }
  }

  #send(spec: CallSpec, accessToken?: string): Promise<WireReply> {
    const url = new URL(this.#base + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    if (accessToken !== undefined) url.searchParams.set('access_token', accessToken);
    return exchange(this.#fetch, { op: spec.op, method: spec.method, url, body: spec.body }, this.#timeoutMs);
  }

  async #fetchToken(force: boolean): Promise<IssuedToken> {
    const op = 'token';
    const reply =
      this.#tokenEndpoint === 'stable'
        ? await this.#send({
            op,
            method: 'POST',
            path: '/cgi-bin/stable_token',
            body: { grant_type: 'client_credential', appid: this.#appid, secret: this.#secret, force_refresh: force },
          })
        : await this.#send({
            op,
            method: 'GET',
            path: '/cgi-bin/token',
            query: { grant_type: 'client_credential', appid: this.#appid, secret: this.#secret },
          });
    const { access_token, expires_in } = this.#parse(op, tokenReply, this.#check(op, reply));
    this.#log?.debug({ expiresIn: expires_in, forced: force }, 'wechat access token fetched');
    return { accessToken: access_token, expiresInSeconds: expires_in };
  }

  #check(op: string, reply: WireReply): WireReply {
    const errcode = typeof reply.errcode === 'number' ? reply.errcode : 0;
    if (errcode !== 0) throw fromErrcode(op, errcode, this.#scrub(String(reply.errmsg ?? '')));
    return reply;
  }

  #parse<T>(op: string, schema: z.ZodType<T>, reply: WireReply): T {
    const parsed = schema.safeParse(reply);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw unexpectedReply(op, `${issue.path.join('.') || 'body'}: ${issue.code}`);
  }

  /** WeChat does not echo credentials today; this keeps it so if it ever does. */
  #scrub(text: string): string {
    let out = text.replace(/(access_token|secret|session_key|js_code)=[^&\s"]*/gi, '$1=[redacted]');
    for (const secret of [this.#secret, ...this.#tokens.issued]) {
      if (secret) out = out.split(secret).join('[redacted]');
    }
    return out.slice(0, 300);
  }
}

/** A session whose key stays out of JSON (so out of pino) and out of console.log. */
function session(openid: string, unionid: string | undefined, sessionKey: string): WechatSession {
  const value: WechatSession = { openid, ...(unionid ? { unionid } : {}), sessionKey };
  const shown = () => ({ openid, ...(unionid ? { unionid } : {}), sessionKey: '[redacted]' });
  Object.defineProperty(value, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(value, inspect.custom, { value: () => shown(), enumerable: false });
  return value;
}
