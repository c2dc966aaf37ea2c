import { pbxProtocolError } from '../pbx/errors.js';
import { decodeHeaderValue } from './url-decode.js';

/** FreeSWITCH refuses bodies over 16 MiB; a larger Content-Length means the stream is corrupt. */
export const MAX_BODY = 16 * 1024 * 1024;

const BLANK_LINE = Buffer.from('\n\n');

export type OuterHeaders = Record<string, string | number>;

/**
 * Header text (`Name: value` lines) into a record: values decoded without throwing, and a
 * Content-Length that is not a size FreeSWITCH could send reported and read as 0.
 */
export function parseHeaderText(text: string, onMalformed: (error: Error) => void): OuterHeaders {
  const headers: OuterHeaders = {};
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(': ', start);
    const split = colon >= 0 && colon < end;
    const key = text.slice(start, split ? colon : end);
    const value = split ? decodeHeaderValue(text.slice(colon + 2, end)) : '';
    start = end + 1;
    if (key === 'Content-Length') {
      const length = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!(length <= MAX_BODY)) {
        onMalformed(pbxProtocolError(`bad Content-Length "${value.slice(0, 20)}"`));
        headers[key] = 0;
        continue;
      }
      headers[key] = length;
    } else {
      headers[key] = value;
    }
  }
  return headers;
}

/**
 * An event-plain body: its own headers, read once straight into strings, and the event's body
 * (after a blank line, Content-Length bytes). Without the blank line the whole text is headers.
 */
export function parseEventPlain(
  body: Buffer,
  onMalformed: (error: Error) => void,
): { headers: Record<string, string>; body: string } {
  let end = body.indexOf(BLANK_LINE);
  if (end < 0) {
    end = body.length;
    while (end > 0 && body[end - 1] === 0x0a) end--;
  }
  const parsed = parseHeaderText(body.toString('utf8', 0, end), onMalformed);
  // Every value but Content-Length is a string already: that one is turned back in place, not the whole record copied.
  const length = parsed['Content-Length'];
  if (typeof length === 'number') parsed['Content-Length'] = String(length);
  const start = end + 2;
  return {
    headers: parsed as Record<string, string>,
    body:
      typeof length === 'number' && length > 0
        ? body.toString('utf8', start, Math.min(body.length, start + length))
        : '',
  };
}

/**
 * Cuts the event socket's byte stream into frames (headers, a blank line, then Content-Length
 * bytes of body) without copying what it has not finished reading more than once.
 */
export class EslFrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private headers: OuterHeaders | null = null;
  private bodyLength = 0;

  constructor(
    private readonly onFrame: (headers: OuterHeaders, body: Buffer | undefined) => void,
    private readonly onMalformed: (error: Error) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let at = 0;
    for (;;) {
      if (!this.headers) {
        const end = this.buffer.indexOf(BLANK_LINE, at);
        if (end < 0) break;
        this.headers = parseHeaderText(this.buffer.toString('utf8', at, end), this.onMalformed);
        this.bodyLength = typeof this.headers['Content-Length'] === 'number' ? this.headers['Content-Length'] : 0;
        at = end + 2;
      }
      if (this.bodyLength > 0 && this.buffer.length - at < this.bodyLength) break;
      const headers = this.headers;
      const body = this.bodyLength > 0 ? this.buffer.subarray(at, at + this.bodyLength) : undefined;
      at += this.bodyLength;
      this.headers = null;
      this.bodyLength = 0;
      this.onFrame(headers, body);
    }
    this.buffer = at >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(at);
  }
}
