import { z } from 'zod';
import { AsteriskPbx, type AsteriskOptions } from './asterisk/adapter.js';
import { FreeSwitchPbx, type FreeSwitchOptions } from './freeswitch/adapter.js';
import { invalidArgument } from './pbx/errors.js';
import type { Logger } from './pbx/logger.js';
import { NoPbx } from './pbx/none.js';
import type { Pbx } from './pbx/pbx.js';

export type CreatePbxOptions =
  | { kind: 'none'; logger?: Logger }
  | ({ kind: 'freeswitch' } & FreeSwitchOptions)
  | ({ kind: 'asterisk' } & AsteriskOptions);

const host = z.string().trim().min(1, 'required');
const port = z.number().int().min(1).max(65535).optional();
const secret = z.string().min(1, 'required');

const settings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('freeswitch'), host, port, password: secret }),
  z.object({
    kind: z.literal('asterisk'),
    host,
    port,
    username: z.string().trim().min(1, 'required'),
    password: secret,
  }),
]);

/**
 * Picks the transport by name, like wechaty's puppet resolver. The domain only ever
 * holds the returned Pbx. `none` gives a PBX that stays stopped and whose controls
 * reject with pbx_disabled, so the service runs without telephony.
 */
export function createPbx(options: CreatePbxOptions): Pbx {
  const parsed = settings.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidArgument(`createPbx: ${issue.path.join('.') || 'kind'}: ${issue.message}`);
  }
  switch (options.kind) {
    case 'none':
      return new NoPbx();
    case 'freeswitch':
      return new FreeSwitchPbx(options);
    case 'asterisk':
      return new AsteriskPbx(options);
  }
}
