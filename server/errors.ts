export const errorCodes = [
  'bad_encoding',
  'bad_signature',
  'callback_in_progress',
  'code_taken',
  'consultation_closed',
  'content_refused',
  'csrf_rejected',
  'extension_pending',
  'file_too_large',
  'forbidden',
  'idempotency_mismatch',
  'illegal_transition',
  'image_too_large',
  'invalid_code',
  'invalid_credentials',
  'invalid_request',
  'malformed_body',
  'merge_into_self',
  'merge_target_closed',
  'no_department',
  'no_extension',
  'no_extension_pending',
  'no_pbx',
  'not_a_duplicate',
  'not_an_image',
  'not_dead',
  'not_failed',
  'not_in_callback_queue',
  'not_found',
  'not_webhook',
  'payload_too_large',
  'rate_limited',
  'replayed',
  'rule_conflict',
  'self_lockout',
  'stale_version',
  'survey_answered',
  'survey_closed',
  'survey_not_pending',
  'survey_required',
  'unauthenticated',
  'unavailable',
  'unknown_area',
  'unknown_category',
  'unknown_department',
  'unsupported_media_type',
  'username_taken',
  'wechat_unavailable',
  'internal',
] as const;

/** The stable codes a client can switch on: a new error adds its code here. */
export type ErrorCode = (typeof errorCodes)[number];

/** The fields error handling reads from a thrown value; anything may be thrown, so each is unknown. */
export interface ThrownFields {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  stack?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  details?: unknown;
  cause?: unknown;
}

/** The route pattern @koa/router matched (it sets ctx._matchedRoute), for logs and metrics. */
export function matchedRoute(ctx: object): string | undefined {
  const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  return typeof route === 'string' ? route : undefined;
}

export function fieldsOf(err: unknown): ThrownFields {
  return typeof err === 'object' && err !== null ? err : {};
}

/** Every error a client can see: a status and a stable code clients can switch on. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string, details?: unknown) =>
  new AppError(400, 'invalid_request', message, details);
export const malformedBody = (message = '请求体不是合法的 JSON') => new AppError(400, 'malformed_body', message);
export const unauthenticated = (message = '请先登录') => new AppError(401, 'unauthenticated', message);
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', '用户名或密码错误');
export const forbidden = (message = '无权执行此操作') => new AppError(403, 'forbidden', message);
export const notFound = (what = '资源') => new AppError(404, 'not_found', `${what}不存在`);
export const conflict = (code: ErrorCode, message: string) => new AppError(409, code, message);
export const illegalTransition = (from: string, action: string) =>
  new AppError(409, 'illegal_transition', `当前状态「${from}」不允许执行「${action}」`);
export const staleVersion = () => new AppError(409, 'stale_version', '案件已被他人更新，请刷新后重试');
export const payloadTooLarge = (message = '请求体过大') => new AppError(413, 'payload_too_large', message);
export const unsupportedMedia = (message: string) => new AppError(415, 'unsupported_media_type', message);
export const unprocessable = (code: ErrorCode, message: string) => new AppError(422, code, message);
export const tooManyRequests = (message = '请求过于频繁，请稍后再试', retryAfterSeconds?: number) =>
  new AppError(429, 'rate_limited', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
export const serviceUnavailable = (message: string) => new AppError(503, 'unavailable', message);
