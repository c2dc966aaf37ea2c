import pino, { type Logger, type DestinationStream } from 'pino';
import { maskPersonalData, scrubPhones } from './lib/personalData.js';

/** Log lines keep phone numbers, ID numbers and e-mail masked (138****5678); see lib/personalData.ts. */
export { scrubPhones };

const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'session_key',
  '*.session_key',
  'secret',
  '*.secret',
  'phone',
  '*.phone',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Keys are redacted by path, and every serialised line is also scrubbed of personal
 * data, because numbers also arrive inside free text (a complaint, a URL).
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination(1)): Logger {
  const scrubbing: DestinationStream = {
    write(line: string) {
      destination.write(maskPersonalData(line));
    },
  };
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrubbing,
  );
}
