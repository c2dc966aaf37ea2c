import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { refineTelephonySettings, telephonySettingsObject } from '../telephony/config.js';
import { parseCallHours } from './surveys/callingHours.js';
import { parseChannelOrder } from './surveys/policy.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A refine() from a parser that throws on bad input. */
const checks = (parse: (s: string) => unknown) => (s: string) => {
  try {
    parse(s);
    return true;
  } catch {
    return false;
  }
};

/** WeChat's rules for the server-URL token and the EncodingAESKey set beside it in the console. */
const pushToken = z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3 to 32 letters or digits, as WeChat requires');
const aesKey = z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the 43 letters and digits of the EncodingAESKey');

const key32 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    // HTTP worker processes (node:cluster) on the one port: a number, or auto for one per CPU.
    WEB_WORKERS: z
      .string()
      .trim()
      .regex(/^(auto|[1-9]\d?)$/, 'must be auto or a number of workers from 1 to 99')
      .default('1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 512kb or 1mb')
      .default('1mb'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
    COOKIE_SECURE: bool.default(false),
    PHONE_ENCRYPTION_KEY: key32.optional(),
    PHONE_HASH_KEY: key32.optional(),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
    CLASSIFY_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    // Public reads (the case lookup, Open311 GET) per address, and photo uploads per uploader and address.
    PUBLIC_READ_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    UPLOAD_RATE_PER_HOUR: z.coerce.number().int().min(1).default(60),
    // How long a signed /files/ link stays valid.
    FILE_URL_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60)
      .default(60),
    // off | the number of proxies in front of the service | the proxies' addresses (comma-separated).
    TRUST_PROXY: z
      .string()
      .trim()
      .regex(/^(false|true|\d{1,2}|[0-9a-fA-F.:]+(,[0-9a-fA-F.:]+)*)$/, 'false, a hop count (1, 2…) or proxy addresses')
      .default('false'),
    NLP_MODEL_PATH: z.string().optional(),
    NLP_REVIEW_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
    CITY: z.string().default('default'),
    TIMEZONE: z.literal('Asia/Shanghai').default('Asia/Shanghai'),
    OPEN311_API_KEYS: z.string().default(''),
    AUTO_DISPATCH: bool.default(false),
    MAP_TILES: z.enum(['none', 'tianditu', 'xyz', 'wmts']).default('none'),
    TIANDITU_KEY: z
      .string()
      .regex(/^[0-9a-zA-Z]{16,64}$/, 'must be the key from console.tianditu.gov.cn')
      .optional(),
    MAP_TILES_URL: z
      .string()
      .regex(/^https?:\/\//, 'must be an http(s) URL')
      .optional(),
    MAP_WMTS_LAYER: z.string().default(''),
    MAP_WMTS_MATRIX_SET: z.string().default('GoogleMapsCompatible'),
    MAP_WMTS_FORMAT: z.string().default('image/png'),
    MAP_WMTS_STYLE: z.string().default('default'),
    MAP_TILES_ATTRIBUTION: z.string().default(''),
    // An external geocoder asked when the gazetteer has no good match for a typed address.
    GEOCODER: z.enum(['off', 'tianditu', 'amap']).default('off'),
    GEOCODER_URL: z
      .string()
      .regex(/^https?:\/\//, 'must be an http(s) URL')
      .optional(),
    GEOCODER_KEY: z
      .string()
      .regex(/^[0-9a-zA-Z]{16,64}$/, "must be the provider's server-side key")
      .optional(),
    GEOCODER_CITY: z.string().trim().default(''),
    GEOCODER_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
    PUBLIC_BOARD_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    DUPLICATE_RADIUS_M: z.coerce.number().positive().default(50),
    DUPLICATE_WINDOW_HOURS: z.coerce.number().positive().default(72),
    CALENDAR_HOLIDAYS: z
      .string()
      .regex(/^(\d{4}-\d{2}-\d{2}(,|$))*$/, 'must be comma-separated YYYY-MM-DD dates')
      .default(''),
    CALENDAR_WORKDAYS: z
      .string()
      .regex(/^(\d{4}-\d{2}-\d{2}(,|$))*$/, 'must be comma-separated YYYY-MM-DD dates')
      .default(''),
    // Where clients reach this service (scheme, host and any path prefix of the reverse proxy). Every
    // absolute URL we hand out (Open311 discovery, partner media_url, WeChat links) starts with it,
    // never with the request's Host or Origin, which a caller chooses.
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .regex(/^https?:\/\/[^?#]*$/i, 'must be an http(s) URL without query or fragment')
      .optional(),
    DELIVERY_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(8),
    DELIVERY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(10),
    // How often an idle queue's worker looks for a job nobody announced (pg-boss's least is 0.5 s): a job
    // sent through the service wakes its queue's workers at commit (jobs/boss.ts), so this only bounds the
    // wait of a retry after its delay and of pg-boss's schedules. A worker that finds a job takes the next
    // at once, so a backlog drains at the handlers' speed, not one job a poll.
    JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(5),
    WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
    RECORDINGS_DIR: z.string().default('./data/recordings'),
    /** Days to keep raw channel payloads and uploaded photos; 0 keeps them. */
    RETENTION_RAW_DAYS: z.coerce.number().int().min(0).default(0),
    RETENTION_UPLOADS_DAYS: z.coerce.number().int().min(0).default(0),
    /** Days to keep call recordings (0 keeps them); RETENTION_RECORDINGS_DAYS is its old name, still read. */
    RECORDING_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).optional(),
    RETENTION_RECORDINGS_DAYS: z.coerce.number().int().min(0).max(3650).optional(),
    JOBS: bool.default(true),
    SERVE_UI: bool.default(true),
    // Bench-only: answer each request with X-DB-Statements, the database round trips it took.
    DB_STATEMENT_COUNT: bool.default(false),
    // Telephony details (telephony/README.md): how long recordings are kept; the PBX_* settings come from telephony.
    WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
    WECHAT_APPID: z.string().default(''),
    WECHAT_SECRET: z.string().default(''),
    // The mini-program's development login (any openid, no WeChat): only when asked for, never in production.
    DEV_LOGIN: bool.default(false),
    // Subscribe-message template ids from the mini-program console (server/wechatApi/templates.ts); empty: not sent.
    WECHAT_TEMPLATE_REGISTERED: z.string().default(''),
    WECHAT_TEMPLATE_DISPATCHED: z.string().default(''),
    WECHAT_TEMPLATE_RESOLVED: z.string().default(''),
    WECHAT_TEMPLATE_SURVEY: z.string().default(''),
    WECHAT_PUSH_TOKEN: z.string().default(''),
    // The mini-program's push in safe mode (安全模式); empty: plain mode.
    WECHAT_PUSH_AES_KEY: aesKey.default(''),
    // The official account (公众号) chat channel: off unless token, app id and secret are set.
    WECHAT_OA_TOKEN: pushToken.default(''),
    WECHAT_OA_AES_KEY: aesKey.default(''),
    WECHAT_OA_APPID: z.string().trim().default(''),
    WECHAT_OA_SECRET: z.string().trim().default(''),
    WECHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    WECHAT_BOT_PUPPET: z.string().default(''),
    // Chat bot (server/chatbot): the puppet's token when it takes one; messages per contact per minute.
    WECHAT_BOT_TOKEN: z.string().default(''),
    WECHAT_BOT_BURST_LIMIT: z.coerce.number().int().min(1).max(1000).default(20),
    // SMS to citizens (server/sms/): off, or the provider whose SendSms API we call.
    SMS_PROVIDER: z.enum(['off', 'aliyun', 'tencent']).default('off'),
    // The provider's API endpoint; default: its public one (https://dysmsapi.aliyuncs.com, https://sms.tencentcloudapi.com).
    SMS_BASE_URL: z
      .string()
      .regex(/^https?:\/\/[^?#]*$/i, 'must be an http(s) URL without query or fragment')
      .optional(),
    // Aliyun AccessKeyId / AccessKeySecret, or Tencent SecretId / SecretKey.
    SMS_ACCESS_KEY_ID: z.string().trim().default(''),
    SMS_ACCESS_KEY_SECRET: z.string().trim().default(''),
    // The approved signature (签名) shown before every message.
    SMS_SIGN_NAME: z.string().trim().default(''),
    // Tencent only: the SMS application (SmsSdkAppId) and the API region.
    SMS_SDK_APP_ID: z.string().trim().default(''),
    SMS_REGION: z.string().trim().default(''),
    // Approved template ids (Aliyun TemplateCode, Tencent TemplateId) per notice; empty: that notice is not sent by SMS.
    SMS_TEMPLATE_REGISTERED: z.string().trim().default(''),
    SMS_TEMPLATE_DISPATCHED: z.string().trim().default(''),
    SMS_TEMPLATE_RESOLVED: z.string().trim().default(''),
    SMS_TEMPLATE_SURVEY: z.string().trim().default(''),
    // The secret path segment of the reply callback URL given to the provider (/api/sms/replies/<provider>/<token>).
    SMS_CALLBACK_TOKEN: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16 to 128 letters, digits, _ or -')
      .optional(),
    SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    // 回访 policy (server/surveys/).
    SURVEY_CHANNEL_ORDER: z
      .string()
      .default('phone,sms,miniprogram,chat')
      .refine(
        checks(parseChannelOrder),
        'must list phone, sms, miniprogram, chat (each at most once), comma-separated',
      ),
    SURVEY_CALL_HOURS: z
      .string()
      .default('09:00-12:00,14:00-20:00')
      .refine(checks(parseCallHours), 'must look like 09:00-12:00,14:00-20:00 (ordered, non-overlapping windows)'),
    SURVEY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    SURVEY_RETRY_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(120),
    SURVEY_ANSWER_WAIT_HOURS: z.coerce
      .number()
      .positive()
      .max(30 * 24)
      .default(48),
  })
  .extend(telephonySettingsObject.shape)
  .superRefine(refineTelephonySettings);

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<
  Env,
  | 'SESSION_SECRET'
  | 'PHONE_ENCRYPTION_KEY'
  | 'PHONE_HASH_KEY'
  | 'RECORDING_RETENTION_DAYS'
  | 'RETENTION_RECORDINGS_DAYS'
> {
  SESSION_SECRET: string;
  PHONE_ENCRYPTION_KEY: string;
  PHONE_HASH_KEY: string;
  openApiKeys: string[];
  /** PUBLIC_BASE_URL without a trailing slash; outside production http://localhost:PORT when unset. */
  publicBaseUrl: string;
  hotlineNumbers: string[];
  devLogin: boolean;
  /** Which X-Forwarded-For entries to believe: none, the last `hops`, or those added by listed proxies. */
  trustProxy: TrustProxy;
  /** How many worker processes serve HTTP; 1: this process serves, no node:cluster. */
  webWorkers: number;
  RECORDING_RETENTION_DAYS: number;
  /** Settings that were accepted but should change (an old name): logged at start-up. */
  warnings: string[];
}

const DEFAULT_RECORDING_RETENTION_DAYS = 180;

/** One setting for how long recordings are kept; the old name is accepted with a warning. */
function recordingRetention(e: Env, warnings: string[]): number {
  const current = e.RECORDING_RETENTION_DAYS;
  const old = e.RETENTION_RECORDINGS_DAYS;
  if (old === undefined) return current ?? DEFAULT_RECORDING_RETENTION_DAYS;
  if (current === undefined) {
    warnings.push('RETENTION_RECORDINGS_DAYS is the old name of RECORDING_RETENTION_DAYS: rename it');
    return old;
  }
  warnings.push(`RETENTION_RECORDINGS_DAYS=${old} is ignored: RECORDING_RETENTION_DAYS=${current} is set`);
  return current;
}

export type TrustProxy = { kind: 'off' } | { kind: 'hops'; hops: number } | { kind: 'addresses'; addresses: string[] };

function trustProxyOf(value: string): TrustProxy {
  if (value === 'false' || value === '0') return { kind: 'off' };
  if (value === 'true') return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(value)) return { kind: 'hops', hops: Number(value) };
  return { kind: 'addresses', addresses: value.split(',').map((a) => a.trim()) };
}

export class ConfigError extends Error {}

const generatedSecrets = ['SESSION_SECRET', 'PHONE_ENCRYPTION_KEY', 'PHONE_HASH_KEY'] as const;

/**
 * Secrets are required in production. Elsewhere they are generated once and kept
 * in DATA_DIR, so a demo install keeps decrypting its own citizens after a restart.
 */
function localSecrets(dataDir: string): Record<(typeof generatedSecrets)[number], string> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const secrets = {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    PHONE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    PHONE_HASH_KEY: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const kind = issue.code === 'custom' && issue.message.startsWith('required') ? 'missing' : 'invalid';
    throw new ConfigError(`${kind} setting ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const oa = ['WECHAT_OA_TOKEN', 'WECHAT_OA_APPID', 'WECHAT_OA_SECRET'] as const;
  if (oa.some((k) => e[k]) || e.WECHAT_OA_AES_KEY) {
    const gap = oa.find((k) => !e[k]);
    if (gap) throw new ConfigError(`missing setting ${gap}: the official-account channel needs ${oa.join(', ')}`);
  }
  if (e.WECHAT_PUSH_AES_KEY && !e.WECHAT_PUSH_TOKEN)
    throw new ConfigError('missing setting WECHAT_PUSH_TOKEN: required with WECHAT_PUSH_AES_KEY');
  if (e.DEV_LOGIN && e.NODE_ENV === 'production')
    throw new ConfigError('invalid setting DEV_LOGIN: never allowed when NODE_ENV=production');
  if (e.MAP_TILES === 'tianditu' && !e.TIANDITU_KEY)
    throw new ConfigError('missing setting TIANDITU_KEY: required when MAP_TILES=tianditu');
  if ((e.MAP_TILES === 'xyz' || e.MAP_TILES === 'wmts') && !e.MAP_TILES_URL)
    throw new ConfigError(`missing setting MAP_TILES_URL: required when MAP_TILES=${e.MAP_TILES}`);
  if (e.GEOCODER !== 'off' && !e.GEOCODER_KEY)
    throw new ConfigError(`missing setting GEOCODER_KEY: required when GEOCODER=${e.GEOCODER}`);
  if (e.MAP_TILES === 'wmts' && !e.MAP_WMTS_LAYER)
    throw new ConfigError('missing setting MAP_WMTS_LAYER: required when MAP_TILES=wmts');
  if (e.SMS_PROVIDER !== 'off') {
    const needed = ['SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME'] as const;
    const gap = [...needed, ...(e.SMS_PROVIDER === 'tencent' ? (['SMS_SDK_APP_ID'] as const) : [])].find((k) => !e[k]);
    if (gap) throw new ConfigError(`missing setting ${gap}: required when SMS_PROVIDER=${e.SMS_PROVIDER}`);
  }
  const webWorkers = e.WEB_WORKERS === 'auto' ? availableParallelism() : Number(e.WEB_WORKERS);
  if (e.WEB_WORKERS !== '1' && !e.DATABASE_URL)
    throw new ConfigError(
      `invalid setting WEB_WORKERS=${e.WEB_WORKERS}: workers need DATABASE_URL (the embedded PGlite is one process); unset it or set it to 1`,
    );
  const missing = generatedSecrets.filter((k) => !e[k]);
  if (missing.length && e.NODE_ENV === 'production') {
    throw new ConfigError(`missing setting ${missing[0]}: required when NODE_ENV=production`);
  }
  if (!e.PUBLIC_BASE_URL && e.NODE_ENV === 'production') {
    throw new ConfigError('missing setting PUBLIC_BASE_URL: required when NODE_ENV=production');
  }
  const local = missing.length ? localSecrets(e.DATA_DIR) : undefined;
  const warnings: string[] = [];
  const { RETENTION_RECORDINGS_DAYS: _old, ...settings } = e;
  return {
    ...settings,
    RECORDING_RETENTION_DAYS: recordingRetention(e, warnings),
    warnings,
    SESSION_SECRET: e.SESSION_SECRET ?? local!.SESSION_SECRET,
    PHONE_ENCRYPTION_KEY: e.PHONE_ENCRYPTION_KEY ?? local!.PHONE_ENCRYPTION_KEY,
    PHONE_HASH_KEY: e.PHONE_HASH_KEY ?? local!.PHONE_HASH_KEY,
    openApiKeys: e.OPEN311_API_KEYS.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    hotlineNumbers: e.HOTLINE_NUMBERS,
    devLogin: e.DEV_LOGIN && e.NODE_ENV !== 'production',
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    webWorkers,
  };
}
