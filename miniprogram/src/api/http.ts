import Taro from '@tarojs/taro';
import { markOffline, markOnline } from '../network/status';

/** A refusal from the server: `code` is stable, `message` is zh-CN text meant for the citizen. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request never reached the server or its answer never came back. */
export class NetworkError extends Error {}

export function apiUrl(path: string): string {
  return API_BASE + path;
}

/** Turns an error body (`{error:{code,message}}`) into an ApiError; anything else becomes a generic one. */
export function toApiError(status: number, body: unknown, fallback: string): ApiError {
  let data = body;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      data = null;
    }
  }
  const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
  return new ApiError(status, err?.code ?? `http_${status}`, err?.message ?? fallback);
}

export interface HttpOptions {
  /** The JSON body. */
  data?: object;
  query?: Record<string, string | number | undefined>;
  token?: string;
}

function withQuery(path: string, query?: HttpOptions['query']): string {
  if (!query) return path;
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

export async function http<T>(method: 'GET' | 'POST', path: string, opts: HttpOptions = {}): Promise<T> {
  const header: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) header.Authorization = `Bearer ${opts.token}`;
  let res: Taro.request.SuccessCallbackResult<string | object>;
  try {
    res = await Taro.request<string | object, object>({
      url: apiUrl(withQuery(path, opts.query)),
      method,
      header,
      data: opts.data,
      timeout: 20_000,
    });
  } catch {
    markOffline();
    throw new NetworkError('network');
  }
  markOnline();
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
  throw toApiError(res.statusCode, res.data, '');
}
