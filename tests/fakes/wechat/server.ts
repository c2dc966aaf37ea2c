import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * A local stand-in for api.weixin.qq.com answering with the documented shapes
 * (shared/fixtures/wechat/API.md): errors arrive as HTTP 200 with a non-zero
 * errcode, every call but code2session and the token itself needs a live
 * access_token, and errmsg ends in a request id the way WeChat's do.
 */

export interface FakeWechatOptions {
  appid?: string;
  secret?: string;
  /** Lifetime of issued tokens; WeChat's is 7200. */
  tokenTtlSeconds?: number;
  /** Milliseconds since the epoch: share it with the client to move both clocks together. */
  now?: () => number;
  /** Further apps with their own credentials (an official account beside the mini-program). */
  apps?: Array<{ appid: string; secret: string }>;
}

/** A customer-service message WeChat accepted (message/custom/send). */
export interface CustomerMessage {
  touser: string;
  msgtype: string;
  text?: { content: string };
  image?: { media_id: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
}

export interface SentMessage {
  touser: string;
  template_id: string;
  page?: string;
  miniprogram_state?: string;
  lang?: string;
  data: Record<string, { value: string }>;
}

export interface MediaCheckRequest {
  traceId: string;
  openid: string;
  mediaUrl: string;
  mediaType: number;
  scene: number;
}

type Reply = { status?: number; body?: unknown; raw?: { data: Buffer; contentType: string } };
type Handler = (req: RecordedRequest) => Reply | Promise<Reply>;

/** Content containing this is risky (label 20006, 违法犯罪); containing REVIEW_WORD, review. */
export const RISKY_WORD = '违禁测试词';
export const REVIEW_WORD = '复核测试词';

const ok = (body: Record<string, unknown> = {}): Reply => ({ body: { errcode: 0, errmsg: 'ok', ...body } });
const rid = () =>
  `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
const fail = (errcode: number, errmsg: string): Reply => ({ body: { errcode, errmsg: `${errmsg} rid: ${rid()}` } });

interface TokenState {
  expiresAt: number;
  revoked: boolean;
  stable: boolean;
}

export class FakeWechat {
  readonly appid: string;
  readonly secret: string;
  url = '';
  /** Every token request, on either endpoint. */
  tokenRequests = 0;
  forcedTokenRequests = 0;
  /** Every subscribe message WeChat accepted. */
  readonly sent: SentMessage[] = [];
  readonly mediaChecks: MediaCheckRequest[] = [];
  /** Every customer-service message WeChat accepted, in order. */
  readonly customerMessages: CustomerMessage[] = [];
  /** Customer-service sends WeChat refused for the window (45015) or the count (45047). */
  readonly refusedCustomerMessages: Array<{ touser: string; errcode: number }> = [];
  /** Every request as it arrived, query and body parsed. */
  readonly requests: RecordedRequest[] = [];

  private readonly server: Server;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly tokens = new Map<string, TokenState>();
  private currentStable?: string;
  private readonly codes = new Map<string, { openid: string; unionid?: string; used: boolean }>();
  private readonly phoneCodes = new Map<string, string>();
  private readonly refused = new Set<string>();
  private readonly limited = new Set<'jscode2session' | 'subscribe'>();
  private readonly hanging = new Set<string>();
  private readonly scripted = new Map<string, Reply[]>();
  private readonly routes: Record<string, Handler>;
  private readonly apps = new Map<string, string>();
  private readonly media = new Map<string, { data: Buffer; contentType: string }>();
  /** Per openid: when the user last wrote and how many customer-service messages went out since. */
  private readonly windows = new Map<string, { wroteAt: number; sent: number }>();

  constructor(options: FakeWechatOptions = {}) {
    this.appid = options.appid ?? 'wxfake00000000001';
    this.secret = options.secret ?? `fakesecret${randomBytes(11).toString('hex')}`;
    this.ttlMs = (options.tokenTtlSeconds ?? 7200) * 1000;
    this.apps.set(this.appid, this.secret);
    for (const app of options.apps ?? []) this.apps.set(app.appid, app.secret);
    this.now = options.now ?? Date.now;
    this.routes = {
      'GET /cgi-bin/token': (r) => this.classicToken(r),
      'POST /cgi-bin/stable_token': (r) => this.stableToken(r),
      'GET /sns/jscode2session': (r) => this.jscode2session(r),
      'POST /wxa/business/getuserphonenumber': (r) => this.withToken(r, () => this.phoneNumber(r)),
      'POST /wxa/msg_sec_check': (r) => this.withToken(r, () => this.msgSecCheck(r)),
      'POST /wxa/media_check_async': (r) => this.withToken(r, () => this.mediaCheckAsync(r)),
      'POST /cgi-bin/message/subscribe/send': (r) => this.withToken(r, () => this.subscribeSend(r)),
      'POST /cgi-bin/message/custom/send': (r) => this.withToken(r, () => this.customSend(r)),
      'GET /cgi-bin/media/get': (r) => this.withToken(r, () => this.mediaGet(r)),
    };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A code `wx.login` would have handed the mini-program; usable once. */
  registerCode(code: string, user: { openid: string; unionid?: string }): void {
    this.codes.set(code, { ...user, used: false });
  }

  /** A code from a getPhoneNumber button; usable once. */
  registerPhoneCode(code: string, phone: string): void {
    this.phoneCodes.set(code, phone);
  }

  refuseSubscription(openid: string): void {
    this.refused.add(openid);
  }

  /** jscode2session then answers 45011; subscribe/send answers 45009. */
  setRateLimited(api: 'jscode2session' | 'subscribe', on = true): void {
    if (on) this.limited.add(api);
    else this.limited.delete(api);
  }

  /** Every token issued so far is revoked: calls with one answer 40001. */
  expireTokens(): void {
    for (const state of this.tokens.values()) state.revoked = true;
    this.currentStable = undefined;
  }

  /** Requests to `path` are read and never answered. */
  hang(path: string): void {
    this.hanging.add(path);
  }

  /** The next request to `path` gets this answer instead (an errcode, or an HTTP status). */
  failNext(path: string, reply: Reply): void {
    this.scripted.set(path, [...(this.scripted.get(path) ?? []), reply]);
  }

  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  /** The body WeChat pushes to the message URL once an asynchronous media check is done. */
  mediaCheckEvent(
    traceId: string,
    result: { suggest: 'pass' | 'review' | 'risky'; label?: number },
    openid = 'o_fake',
  ) {
    const label = result.label ?? (result.suggest === 'pass' ? 100 : 20002);
    return {
      ToUserName: 'gh_fake0000001',
      FromUserName: openid,
      CreateTime: Math.floor(this.now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: this.appid,
      trace_id: traceId,
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, suggest: result.suggest, label, prob: 90 }],
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: result.suggest, label },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
    };
    this.requests.push(recorded);
    if (this.hanging.has(url.pathname)) return;

    let reply: Reply;
    const scripted = this.scripted.get(url.pathname)?.shift();
    const route = this.routes[`${recorded.method} ${url.pathname}`];
    if (scripted) reply = scripted;
    else if (!route) reply = { status: 404, body: { errcode: 404, errmsg: 'not found' } };
    else if (recorded.method === 'POST' && !parseInto(recorded, raw)) reply = fail(47001, 'data format error');
    else reply = await route(recorded);

    const status = reply.status ?? 200;
    if (reply.raw) {
      // As WeChat serves a file: its type, and the name in Content-disposition.
      res.writeHead(200, {
        'content-type': reply.raw.contentType,
        'content-disposition': 'attachment; filename="media.jpg"',
        'content-length': reply.raw.data.length,
      });
      res.end(reply.raw.data);
      return;
    }
    res.writeHead(status, { 'content-type': status === 200 ? 'application/json; charset=utf-8' : 'text/html' });
    res.end(reply.body === undefined ? `<html><body>${status}</body></html>` : JSON.stringify(reply.body));
  }

  private credentialsError(appid: unknown, secret: unknown): Reply | null {
    if (typeof appid !== 'string' || !this.apps.has(appid)) return fail(40013, 'invalid appid');
    if (secret !== this.apps.get(appid)) return fail(40125, 'invalid appsecret, view more at http://t.cn/RAEkdVq');
    return null;
  }

  /** A file a user sent: what media/get answers for the returned MediaId (for three days, at WeChat). */
  addMedia(data: Buffer, contentType = 'image/jpeg'): string {
    const id = randomBytes(24).toString('base64url');
    this.media.set(id, { data, contentType });
    return id;
  }

  /** The user wrote to the account (the push helper calls this): 5 customer-service messages for 48 hours. */
  userWrote(openid: string): void {
    this.windows.set(openid, { wroteAt: this.now(), sent: 0 });
  }

  /** As if the user had last written `hours` ago. */
  ageWindow(openid: string, hours: number): void {
    const w = this.windows.get(openid);
    if (w) w.wroteAt = this.now() - hours * 3_600_000;
  }

  customerMessagesTo(openid: string): string[] {
    return this.customerMessages.filter((m) => m.touser === openid).map((m) => m.text?.content ?? '');
  }

  private issue(stable: boolean): { access_token: string; expires_in: number } {
    const token = `ACCESS_${randomBytes(32).toString('hex')}`;
    this.tokens.set(token, { expiresAt: this.now() + this.ttlMs, revoked: false, stable });
    return { access_token: token, expires_in: Math.floor(this.ttlMs / 1000) };
  }

  private classicToken(r: RecordedRequest): Reply {
    this.tokenRequests++;
    if (r.query.grant_type !== 'client_credential') return fail(40002, 'invalid grant_type');
    const refused = this.credentialsError(r.query.appid, r.query.secret);
    if (refused) return refused;
    // A new classic token leaves the previous ones five more minutes at most.
    const grace = this.now() + 5 * 60_000;
    for (const state of this.tokens.values()) if (!state.stable) state.expiresAt = Math.min(state.expiresAt, grace);
    return { body: this.issue(false) };
  }

  private stableToken(r: RecordedRequest): Reply {
    this.tokenRequests++;
    const { grant_type, appid, secret, force_refresh } = r.body ?? {};
    if (grant_type !== 'client_credential') return fail(40002, 'invalid grant_type');
    const refused = this.credentialsError(appid, secret);
    if (refused) return refused;
    if (force_refresh === true) {
      this.forcedTokenRequests++;
      if (this.currentStable) this.tokens.get(this.currentStable)!.revoked = true;
      this.currentStable = undefined;
    }
    const current = this.currentStable ? this.tokens.get(this.currentStable) : undefined;
    // Normal mode hands back the live token, renewed only near its end (5 minutes on a 2-hour token).
    const renewWithin = Math.min(5 * 60_000, this.ttlMs / 10);
    if (current && !current.revoked && current.expiresAt - this.now() > renewWithin) {
      return {
        body: { access_token: this.currentStable, expires_in: Math.floor((current.expiresAt - this.now()) / 1000) },
      };
    }
    const issued = this.issue(true);
    this.currentStable = issued.access_token;
    return { body: issued };
  }

  private async withToken(r: RecordedRequest, next: () => Reply | Promise<Reply>): Promise<Reply> {
    const token = r.query.access_token;
    if (!token) return fail(41001, 'access_token missing');
    const state = this.tokens.get(token);
    if (!state || state.revoked) return fail(40001, 'invalid credential, access_token is invalid or not latest');
    if (state.expiresAt <= this.now()) return fail(42001, 'access_token expired');
    return next();
  }

  private jscode2session(r: RecordedRequest): Reply {
    const refused = this.credentialsError(r.query.appid, r.query.secret);
    if (refused) return refused;
    if (r.query.grant_type !== 'authorization_code') return fail(40002, 'invalid grant_type');
    if (this.limited.has('jscode2session'))
      return fail(45011, 'api minute-quota reach limit  mustslower  retry next minute');
    const entry = r.query.js_code ? this.codes.get(r.query.js_code) : undefined;
    if (!entry) return fail(40029, 'invalid code');
    if (entry.used) return fail(40163, 'code been used');
    entry.used = true;
    // Success carries no errcode, as WeChat's often does not.
    return {
      body: {
        session_key: randomBytes(16).toString('base64'),
        openid: entry.openid,
        ...(entry.unionid ? { unionid: entry.unionid } : {}),
      },
    };
  }

  private phoneNumber(r: RecordedRequest): Reply {
    const code = r.body?.code;
    const phone = typeof code === 'string' ? this.phoneCodes.get(code) : undefined;
    if (!phone) return fail(40029, 'invalid code');
    this.phoneCodes.delete(code);
    return ok({
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: '86',
        watermark: { timestamp: Math.floor(this.now() / 1000), appid: this.appid },
      },
    });
  }

  private msgSecCheck(r: RecordedRequest): Reply {
    const { content, version, scene, openid } = r.body ?? {};
    if (typeof content !== 'string' || !content) return fail(44002, 'empty content');
    if (Number(version) !== 2) {
      // Version 1 answers risky content with an errcode instead of a verdict.
      return content.includes(RISKY_WORD) ? fail(87014, 'risky content') : ok();
    }
    if (typeof openid !== 'string' || !openid) return fail(40003, 'invalid openid');
    if (![1, 2, 3, 4].includes(scene)) return fail(40129, 'invalid scene');
    const [suggest, label] = content.includes(RISKY_WORD)
      ? ['risky', 20006]
      : content.includes(REVIEW_WORD)
        ? ['review', 21000]
        : ['pass', 100];
    return ok({
      trace_id: rid(),
      result: { suggest, label },
      detail: [
        { strategy: 'keyword', errcode: 0 },
        { strategy: 'content_model', errcode: 0, suggest, label, prob: 90 },
      ],
    });
  }

  private mediaCheckAsync(r: RecordedRequest): Reply {
    const { media_url, media_type, version, scene, openid } = r.body ?? {};
    if (typeof media_url !== 'string' || !media_url) return fail(44002, 'empty media_url');
    if (media_type !== 1 && media_type !== 2) return fail(47001, 'data format error');
    if (Number(version) !== 2) return fail(47001, 'data format error');
    if (typeof openid !== 'string' || !openid) return fail(40003, 'invalid openid');
    if (![1, 2, 3, 4].includes(scene)) return fail(40129, 'invalid scene');
    const traceId = rid();
    this.mediaChecks.push({ traceId, openid, mediaUrl: media_url, mediaType: media_type, scene });
    return ok({ trace_id: traceId });
  }

  private customSend(r: RecordedRequest): Reply {
    const body = r.body ?? {};
    if (typeof body.touser !== 'string' || !body.touser) return fail(40003, 'invalid openid');
    if (body.msgtype === 'text') {
      if (typeof body.text?.content !== 'string' || !body.text.content) return fail(44002, 'empty content');
    } else if (body.msgtype === 'image') {
      if (typeof body.image?.media_id !== 'string') return fail(40007, 'invalid media_id');
    } else return fail(40008, 'invalid message type');
    const w = this.windows.get(body.touser);
    const refuse = (errcode: number, errmsg: string) => {
      this.refusedCustomerMessages.push({ touser: body.touser, errcode });
      return fail(errcode, errmsg);
    };
    if (!w || this.now() - w.wroteAt > 48 * 3_600_000)
      return refuse(45015, 'response out of time limit or subscription is canceled');
    if (w.sent >= 5) return refuse(45047, 'out of response count limit');
    w.sent++;
    this.customerMessages.push(body as CustomerMessage);
    return ok();
  }

  private mediaGet(r: RecordedRequest): Reply {
    const file = r.query.media_id ? this.media.get(r.query.media_id) : undefined;
    if (!file) return fail(40007, 'invalid media_id');
    return { raw: file };
  }

  private subscribeSend(r: RecordedRequest): Reply {
    const body = r.body ?? {};
    if (typeof body.touser !== 'string' || !body.touser) return fail(40003, 'invalid openid');
    if (typeof body.template_id !== 'string' || !body.template_id) return fail(40037, 'invalid template id');
    if (body.page !== undefined && (typeof body.page !== 'string' || body.page.startsWith('/'))) {
      return fail(41030, 'invalid page');
    }
    if (body.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(body.miniprogram_state)) {
      return fail(47001, 'data format error');
    }
    const bad = invalidField(body.data);
    if (bad) return fail(47003, `argument invalid! data.${bad}`);
    if (this.limited.has('subscribe')) return fail(45009, 'reach max api daily quota limit');
    if (this.refused.has(body.touser)) return fail(43101, 'user refuse to accept the msg');
    this.sent.push(body as SentMessage);
    return ok({ msgid: Number(randomBytes(4).readUInt32BE()) });
  }
}

function parseInto(recorded: RecordedRequest, raw: string): boolean {
  try {
    recorded.body = raw ? JSON.parse(raw) : {};
    return true;
  } catch {
    return false;
  }
}

/** WeChat's rules for template data, by the keyword's type prefix. */
function invalidField(data: unknown): string | null {
  if (!data || typeof data !== 'object') return 'data is empty';
  for (const [key, entry] of Object.entries(data)) {
    const value = (entry as { value?: unknown })?.value;
    if (typeof value !== 'string') return `${key}.value invalid`;
    if (!value) return `${key}.value is empty`;
    const type = key.replace(/\d+$/, '');
    const chars = Array.from(value).length;
    const rules: Record<string, boolean> = {
      thing: chars <= 20,
      character_string: /^[\x21-\x7e]{1,32}$/.test(value),
      phrase: /^\p{Script=Han}{1,5}$/u.test(value),
      number: /^[\d.]{1,32}$/.test(value),
      time:
        /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value) ||
        /^\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?$/.test(value),
      date: /^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d{4}年\d{1,2}月\d{1,2}日$/.test(value),
    };
    if (rules[type] === false) return `${key}.value invalid`;
    if (/[\uD800-\uDFFF]/.test(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) return `${key}.value invalid`;
  }
  return null;
}

export async function startFakeWechat(options: FakeWechatOptions = {}): Promise<FakeWechat> {
  return new FakeWechat(options).listen();
}
