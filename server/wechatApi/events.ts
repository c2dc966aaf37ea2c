import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { unexpectedReply } from './errors.js';
import { pushSignature, signatureMatches } from './pushCrypto.js';
import type { MediaCheckVerdict } from './types.js';

/**
 * The message-push URL is signed with the token set in the mini-program's
 * console: sha1 of token, timestamp and nonce sorted and joined.
 */
export function verifyPushSignature(input: {
  token: string;
  timestamp: string;
  nonce: string;
  signature: string;
}): boolean {
  return signatureMatches(pushSignature(input.token, input.timestamp, input.nonce), input.signature);
}

const xml = new XMLParser({ parseTagValue: false, processEntities: true });

const mediaCheckEvent = z.object({
  Event: z.literal('wxa_media_check'),
  trace_id: z.string().min(1),
  errcode: z.coerce.number().optional(),
  result: z
    .object({
      suggest: z.enum(['pass', 'review', 'risky']),
      label: z.coerce.number().optional(),
    })
    .optional(),
});

/**
 * Reads the `wxa_media_check` push (JSON object or body text, or the XML format).
 * Answers null for any other event, so the push route can hand every body here.
 * Media WeChat could not check (errcode ≠ 0) does not pass: a person looks at it.
 */
export function parseMediaCheckEvent(body: unknown): MediaCheckVerdict | null {
  const event = toObject(body);
  if (!event || event.Event !== 'wxa_media_check') return null;
  const parsed = mediaCheckEvent.safeParse(event);
  if (!parsed.success) {
    throw unexpectedReply('wxa_media_check event', parsed.error.issues[0].path.join('.') || 'body');
  }
  const { trace_id: traceId, errcode, result } = parsed.data;
  if ((errcode ?? 0) !== 0 || !result) {
    return { traceId, pass: false, suggest: 'review', errcode: errcode ?? 0 };
  }
  return {
    traceId,
    pass: result.suggest !== 'risky',
    suggest: result.suggest,
    ...(result.label !== undefined ? { label: result.label } : {}),
  };
}

function toObject(body: unknown): Record<string, unknown> | null {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString().trim();
    try {
      if (text.startsWith('{')) return JSON.parse(text);
      if (text.startsWith('<')) return xml.parse(text)?.xml ?? null;
    } catch {
      return null;
    }
    return null;
  }
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : null;
}
