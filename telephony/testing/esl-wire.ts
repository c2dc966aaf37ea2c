/**
 * The event socket's wire format as FreeSWITCH writes it (mod_event_socket.c,
 * switch_event.c): LF line ends, header blocks ended by a blank line, bodies sized
 * by Content-Length, event-plain values URL-encoded by switch_url_encode.
 */

const RESERVED = new Set(' #%&+:;<=>?@[\\]^`{|}"'.split('').map((c) => c.charCodeAt(0)));

export function fsUrlEncode(value: string): string {
  let plain = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c > 0x7e || RESERVED.has(c)) {
      plain = false;
      break;
    }
  }
  if (plain) return value;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out +=
      byte <= 0x20 || byte > 0x7e || RESERVED.has(byte)
        ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(byte);
  }
  return out;
}

export type Header = [string, string];

export function headerBlock(headers: Header[]): string {
  return headers.map(([name, value]) => `${name}: ${value}\n`).join('') + '\n';
}

export function commandReply(replyText: string, extra: Header[] = []): Buffer {
  return Buffer.from(headerBlock([['Content-Type', 'command/reply'], ['Reply-Text', replyText], ...extra]));
}

export function withBody(headers: Header[], body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from(headerBlock([['Content-Length', String(bytes.length)], ...headers])), bytes]);
}

export function apiResponse(body: string): Buffer {
  return withBody([['Content-Type', 'api/response']], body);
}

export const DISCONNECT_TEXT = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

export function disconnectNotice(): Buffer {
  return withBody(
    [
      ['Content-Type', 'text/disconnect-notice'],
      ['Content-Disposition', 'disconnect'],
    ],
    DISCONNECT_TEXT,
  );
}

export function eventPlain(headers: Header[], body?: string): Buffer {
  let text = headers.map(([name, value]) => `${name}: ${fsUrlEncode(value)}\n`).join('');
  text += body === undefined ? '\n' : `Content-Length: ${Buffer.byteLength(body)}\n\n${body}`;
  return withBody([['Content-Type', 'text/event-plain']], text);
}

export function eventJson(headers: Header[], body?: string): Buffer {
  const object: Record<string, string> = Object.fromEntries(headers);
  if (body !== undefined) {
    object['Content-Length'] = String(Buffer.byteLength(body));
    object._body = body;
  }
  return withBody([['Content-Type', 'text/event-json']], JSON.stringify(object));
}

/**
 * Splits a byte stream into frames the way the protocol defines them (header block,
 * then Content-Length bytes). Used to replay captures frame by frame and to know
 * what a parser must see. Lines without ": " are kept under their own text. An
 * incomplete last frame is left out.
 */
export function splitFrames(stream: Buffer): { headers: Record<string, string>; body: Buffer; raw: Buffer }[] {
  const frames: { headers: Record<string, string>; body: Buffer; raw: Buffer }[] = [];
  let at = 0;
  while (at < stream.length) {
    const end = stream.indexOf('\n\n', at);
    if (end < 0) break;
    const headers: Record<string, string> = {};
    for (const line of stream.subarray(at, end).toString('utf8').split('\n')) {
      const colon = line.indexOf(': ');
      headers[colon < 0 ? line : line.slice(0, colon)] = colon < 0 ? '' : line.slice(colon + 2);
    }
    const length = Number(headers['Content-Length'] ?? 0) || 0;
    const bodyStart = end + 2;
    if (bodyStart + length > stream.length) break;
    const body = stream.subarray(bodyStart, bodyStart + length);
    frames.push({ headers, body, raw: stream.subarray(at, bodyStart + length) });
    at = bodyStart + length;
  }
  return frames;
}
