import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The request's JSON body (an empty object when it sent none). */
  body: Record<string, unknown>;
}

type Reply = { status?: number; body?: unknown } | ((call: Call) => { status?: number; body?: unknown });

/**
 * Replaces fetch with a route table ("POST /api/reports" → reply). Replies can be a list, used
 * in order (the last one repeats), so a test can make the first attempt fail and the retry pass.
 * Unrouted requests answer 404 so a missing route shows up as a failed assertion, not a hang.
 */
export function mockApi(routes: Record<string, Reply | Reply[]>) {
  const calls: Call[] = [];
  const used: Record<string, number> = {};
  const fetch = vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const body: Record<string, unknown> = typeof init.body === 'string' ? JSON.parse(init.body) : {};
    const call: Call = { method, path: url.pathname, query: url.searchParams, body };
    calls.push(call);
    const key = `${method} ${url.pathname}`;
    const route = routes[key];
    let reply: Reply | undefined;
    if (Array.isArray(route)) {
      const i = used[key] ?? 0;
      used[key] = i + 1;
      reply = route[Math.min(i, route.length - 1)];
    } else reply = route;
    const r =
      typeof reply === 'function'
        ? reply(call)
        : (reply ?? { status: 404, body: { error: { code: 'not_found', message: '接口不存在' } } });
    const status = r.status ?? 200;
    return { ok: status >= 200 && status < 300, status, json: async () => r.body } as Response;
  });
  vi.stubGlobal('fetch', fetch);
  return {
    calls,
    to: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

export const apiError = (status: number, code: string, message: string) => ({
  status,
  body: { error: { code, message } },
});
