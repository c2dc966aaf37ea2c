import { z } from 'zod';
import type { CreatePbxOptions } from './create-pbx.js';

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

/** The telephony settings, read once from the environment (documented in telephony/README.md). */
export const telephonySettingsSchema = z
  .object({
    PBX: z.enum(['freeswitch', 'asterisk', 'none']).default('none'),
    PBX_HOST: z.string().trim().default('127.0.0.1'),
    PBX_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    PBX_USERNAME: z.string().trim().optional(),
    PBX_PASSWORD: z.string().optional(),
    HOTLINE_NUMBERS: list('12319,96310'),
    AGENT_QUEUE: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.@-]{1,64}$/)
      .default('hotline'),
  })
  .superRefine((s, ctx) => {
    if (s.PBX !== 'none' && !s.PBX_PASSWORD)
      ctx.addIssue({ code: 'custom', path: ['PBX_PASSWORD'], message: `required when PBX=${s.PBX}` });
    if (s.PBX === 'asterisk' && !s.PBX_USERNAME)
      ctx.addIssue({ code: 'custom', path: ['PBX_USERNAME'], message: 'required when PBX=asterisk' });
  });

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
      };
    case 'asterisk':
      return {
        kind: 'asterisk',
        host: settings.PBX_HOST,
        port: settings.PBX_PORT ?? 5038,
        username: settings.PBX_USERNAME!,
        password: settings.PBX_PASSWORD!,
      };
  }
}
