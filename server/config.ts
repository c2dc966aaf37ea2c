import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
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

const key32 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
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
  NLP_MODEL_PATH: z.string().optional(),
  NLP_REVIEW_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  CITY: z.string().default('default'),
  TIMEZONE: z.literal('Asia/Shanghai').default('Asia/Shanghai'),
  OPEN311_API_KEYS: z.string().default(''),
  AUTO_DISPATCH: bool.default(false),
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
  PUBLIC_BASE_URL: z.string().url().optional(),
  DELIVERY_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(8),
  DELIVERY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(10),
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
  RECORDINGS_DIR: z.string().default('./data/recordings'),
  JOBS: bool.default(true),
  SERVE_UI: bool.default(true),
  PBX: z.enum(['none', 'freeswitch', 'asterisk']).default('none'),
  PBX_HOST: z.string().default('127.0.0.1'),
  PBX_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PBX_USERNAME: z.string().default('admin'),
  PBX_PASSWORD: z.string().default(''),
  HOTLINE_NUMBERS: z.string().default('12319,96310'),
  // The queue the shipped FreeSWITCH callcenter.conf.xml and Asterisk dialplan define.
  AGENT_QUEUE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a queue name: letters, digits, _ . @ -')
    .default('hotline'),
  // Telephony details (telephony/README.md): survey calls' dial string, recorded or spoken prompts, how long recordings are kept.
  PBX_DIAL_STRING: z
    .string()
    .trim()
    .regex(/\{number\}/, 'must contain {number}')
    .optional(),
  PROMPT_MODE: z.enum(['files', 'tts']).default('files'),
  PROMPTS_DIR: z.string().trim().optional(),
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  WECHAT_APPID: z.string().default(''),
  WECHAT_SECRET: z.string().default(''),
  WECHAT_DEV_LOGIN: bool.optional(),
  // Subscribe-message template ids from the mini-program console (server/wechat/templates.ts); empty: not sent.
  WECHAT_TEMPLATE_REGISTERED: z.string().default(''),
  WECHAT_TEMPLATE_DISPATCHED: z.string().default(''),
  WECHAT_TEMPLATE_RESOLVED: z.string().default(''),
  WECHAT_TEMPLATE_SURVEY: z.string().default(''),
  WECHAT_PUSH_TOKEN: z.string().default(''),
  WECHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  WECHAT_BOT_PUPPET: z.string().default(''),
  // Chat bot (server/channels/wechat): the puppet's token when it takes one; messages per contact per minute.
  WECHAT_BOT_TOKEN: z.string().default(''),
  WECHAT_BOT_BURST_LIMIT: z.coerce.number().int().min(1).max(1000).default(20),
  // 回访 policy (server/surveys/).
  SURVEY_CHANNEL_ORDER: z
    .string()
    .default('phone,miniprogram,chat')
    .refine(checks(parseChannelOrder), 'must list phone, miniprogram, chat (each at most once), comma-separated'),
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
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, 'SESSION_SECRET' | 'PHONE_ENCRYPTION_KEY' | 'PHONE_HASH_KEY'> {
  SESSION_SECRET: string;
  PHONE_ENCRYPTION_KEY: string;
  PHONE_HASH_KEY: string;
  openApiKeys: string[];
  hotlineNumbers: string[];
  devLogin: boolean;
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
    throw new ConfigError(`invalid setting ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.PBX !== 'none' && !e.PBX_PASSWORD)
    throw new ConfigError(`missing setting PBX_PASSWORD: required when PBX=${e.PBX}`);
  const missing = generatedSecrets.filter((k) => !e[k]);
  if (missing.length && e.NODE_ENV === 'production') {
    throw new ConfigError(`missing setting ${missing[0]}: required when NODE_ENV=production`);
  }
  const local = missing.length ? localSecrets(e.DATA_DIR) : undefined;
  return {
    ...e,
    SESSION_SECRET: e.SESSION_SECRET ?? local!.SESSION_SECRET,
    PHONE_ENCRYPTION_KEY: e.PHONE_ENCRYPTION_KEY ?? local!.PHONE_ENCRYPTION_KEY,
    PHONE_HASH_KEY: e.PHONE_HASH_KEY ?? local!.PHONE_HASH_KEY,
    openApiKeys: e.OPEN311_API_KEYS.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    hotlineNumbers: e.HOTLINE_NUMBERS.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    devLogin: e.WECHAT_DEV_LOGIN ?? e.NODE_ENV !== 'production',
  };
}
