import { unavailable, WechatError } from './errors.js';

/** A WeChat JSON answer: every one may carry errcode (0 or absent is success) and errmsg. */
export interface WireReply {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

export interface WireRequest {
  op: string;
  method: 'GET' | 'POST';
  url: URL;
  body?: unknown;
}

/**
 * One HTTP exchange with a deadline that covers the body as well as the headers.
 * Errors name the operation, never the URL: its query string holds the secret or
 * the access token.
 */
export async function exchange(fetchImpl: typeof fetch, req: WireRequest, timeoutMs: number): Promise<WireReply> {
  const { data } = await fetchBody(fetchImpl, req, timeoutMs);
  return asReply(req.op, data.toString('utf8'));
}

/**
 * A download (media/get): the file itself, or WeChat's JSON error when the
 * answer is JSON. `reply` is set in the second case.
 */
export async function download(
  fetchImpl: typeof fetch,
  req: WireRequest,
  timeoutMs: number,
): Promise<{ data: Buffer; contentType: string } | { reply: WireReply }> {
  const { data, contentType } = await fetchBody(fetchImpl, req, timeoutMs);
  if (/json|text\/plain/i.test(contentType)) return { reply: asReply(req.op, data.toString('utf8')) };
  return { data, contentType };
}

async function fetchBody(
  fetchImpl: typeof fetch,
  req: WireRequest,
  timeoutMs: number,
): Promise<{ data: Buffer; contentType: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let status: number;
  let data: Buffer;
  let contentType: string;
  try {
    const res = await fetchImpl(req.url, {
      method: req.method,
      headers: req.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: controller.signal,
    });
    status = res.status;
    contentType = res.headers.get('content-type') ?? '';
    data = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    if (controller.signal.aborted) throw unavailable(req.op, `no answer within ${timeoutMs} ms`);
    throw unavailable(req.op, `network error${networkReason(err)}`);
  } finally {
    clearTimeout(timer);
  }
  if (status >= 500) throw unavailable(req.op, `HTTP ${status}`);
  if (status !== 200) throw new WechatError('wechat_error', `wechat ${req.op}: HTTP ${status}`);
  return { data, contentType };
}

function asReply(op: string, text: string): WireReply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A proxy's HTML error page, or a cut connection: worth another try later.
    throw unavailable(op, 'answer is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw unavailable(op, 'answer is not an object');
  return parsed as WireReply;
}

/** Only the system error code (ECONNREFUSED, ENOTFOUND…): undici's messages may quote the URL. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } })?.cause;
  const code = cause?.code ?? (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? ` ${code}` : '';
}
