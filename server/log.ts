import pino, { type Logger, type DestinationStream } from 'pino';

/** Mainland mobile numbers anywhere in a log line: kept as 138****5678. */
const MOBILE = /(?:(?<=(?:^|\D)(?:\+?86|0086))|(?<!\d))(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
/** Landlines with area code, e.g. 0571-87654321. */
const LANDLINE = /(?<!\d)(0\d{2,3})-?\d{3,4}(\d{4})(?!\d)/g;

export function scrubPhones(text: string): string {
  return text.replace(MOBILE, '$1****$2').replace(LANDLINE, '$1-****$2');
}

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
 * Keys are redacted by path, and every serialised line is also scrubbed of phone
 * numbers, because numbers also arrive inside free text (a complaint, a URL).
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination(1)): Logger {
  const scrubbing: DestinationStream = {
    write(line: string) {
      destination.write(scrubPhones(line));
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
