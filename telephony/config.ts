import { z } from 'zod';
import type { CreatePbxOptions } from './create-pbx.js';
import { promptFiles } from './flows/prompts.js';

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^\d{3,20}$/, 'numbers, comma separated')).min(1));

/**
 * The telephony settings (documented in telephony/README.md): the one schema for them, which
 * server/config.ts extends its own settings with, so the service and telephony read them alike.
 */
export const telephonySettingsObject = z.object({
  PBX: z.enum(['freeswitch', 'asterisk', 'none']).default('none'),
  PBX_HOST: z.string().trim().default('127.0.0.1'),
  PBX_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PBX_USERNAME: z.string().trim().optional(),
  PBX_PASSWORD: z.string().optional(),
  HOTLINE_NUMBERS: list('12319,96310'),
  AGENT_QUEUE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a queue name: letters, digits, _ . @ -')
    .default('hotline'),
  /** Where survey calls go, {number} the citizen's: FreeSWITCH sofia/gateway/pstn/{number}, Asterisk PJSIP/{number}@trunk. */
  PBX_DIAL_STRING: z
    .string()
    .trim()
    .regex(/\{number\}/, 'must contain {number}')
    .optional(),
  /** Recorded prompts (the default) or spoken from their text (FreeSWITCH only). */
  PROMPT_MODE: z.enum(['files', 'tts']).default('files'),
  /** Where the recordings are on the PBX's machine (FreeSWITCH: its cg_prompts_dir; Asterisk: sounds/cg). */
  PROMPTS_DIR: z.string().trim().optional(),
});

type TelephonySettingsShape = z.infer<typeof telephonySettingsObject>;

/** The rules across settings, for any schema that holds the telephony ones. */
export function refineTelephonySettings(s: TelephonySettingsShape, ctx: z.RefinementCtx): void {
  if (s.PBX !== 'none' && !s.PBX_PASSWORD)
    ctx.addIssue({ code: 'custom', path: ['PBX_PASSWORD'], message: `required when PBX=${s.PBX}` });
  if (s.PBX === 'asterisk' && !s.PBX_USERNAME)
    ctx.addIssue({ code: 'custom', path: ['PBX_USERNAME'], message: 'required when PBX=asterisk' });
  if (s.PBX === 'asterisk' && s.PROMPT_MODE === 'tts')
    ctx.addIssue({ code: 'custom', path: ['PROMPT_MODE'], message: 'Asterisk plays recorded prompts only' });
}

export const telephonySettingsSchema = telephonySettingsObject.superRefine(refineTelephonySettings);

export type TelephonySettings = z.infer<typeof telephonySettingsSchema>;

export function pbxOptionsFrom(settings: TelephonySettings): CreatePbxOptions {
  switch (settings.PBX) {
    case 'none':
      return { kind: 'none' };
    case 'freeswitch':
      return {
        kind: 'freeswitch',
        host: settings.PBX_HOST,
        port: settings.PBX_PORT ?? 8021,
        password: settings.PBX_PASSWORD!,
        promptMode: settings.PROMPT_MODE,
        fallbackQueue: settings.AGENT_QUEUE,
        requiredPrompts: promptFiles(),
        ...(settings.PBX_DIAL_STRING ? { dialString: settings.PBX_DIAL_STRING } : {}),
        ...(settings.PROMPTS_DIR ? { soundsDir: settings.PROMPTS_DIR } : {}),
      };
    case 'asterisk':
      return {
        kind: 'asterisk',
        host: settings.PBX_HOST,
        port: settings.PBX_PORT ?? 5038,
        username: settings.PBX_USERNAME!,
        password: settings.PBX_PASSWORD!,
        requiredPrompts: promptFiles(),
        ...(settings.PBX_DIAL_STRING ? { channelTemplate: settings.PBX_DIAL_STRING } : {}),
        ...(settings.PROMPTS_DIR ? { soundsPrefix: settings.PROMPTS_DIR } : {}),
      };
  }
}
