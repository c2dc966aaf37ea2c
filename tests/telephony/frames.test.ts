import { describe, expect, test } from 'vitest';
import { EslFrameReader, parseEventPlain, type OuterHeaders } from '../../telephony/freeswitch/frames.js';
import { eslCaptures } from '../../telephony/testing/captures.js';
import { eventPlain, splitFrames } from '../../telephony/testing/esl-wire.js';

/** Reads `stream` cut into `size`-byte chunks; returns every frame and every problem reported. */
function read(stream: Buffer, size: number) {
  const frames: Array<{ headers: OuterHeaders; body: string }> = [];
  const problems: Error[] = [];
  const reader = new EslFrameReader(
    (headers, body) => frames.push({ headers, body: body?.toString('utf8') ?? '' }),
    (error) => problems.push(error),
  );
  for (let at = 0; at < stream.length; at += size) reader.push(stream.subarray(at, at + size));
  return { frames, problems };
}

describe('the ESL frame reader', () => {
  test.each(eslCaptures().map((c) => [c.name, c] as const))(
    '%s: the same frames, however the stream is cut',
    (_name, capture) => {
      const stream = Buffer.concat(capture.reads);
      const expected = splitFrames(stream);
      for (const size of [1, 7, 64, 4096, stream.length]) {
        const { frames, problems } = read(stream, size);
        expect(problems).toEqual([]);
        expect(frames.map((f) => f.headers['Content-Type'] ?? '')).toEqual(
          expected.map((f) => f.headers['Content-Type'] ?? ''),
        );
        expect(frames.map((f) => f.body)).toEqual(expected.map((f) => f.body.toString('utf8')));
      }
    },
  );

  test('an event-plain body: headers decoded once, its own body by Content-Length', () => {
    const frame = eventPlain(
      [
        ['Event-Name', 'BACKGROUND_JOB'],
        ['Caller-Caller-ID-Name', '张三'],
      ],
      '+OK 好\n',
    );
    const [{ body }] = read(frame, 5).frames;
    const event = parseEventPlain(Buffer.from(body), () => {});
    expect(event.headers['Event-Name']).toBe('BACKGROUND_JOB');
    expect(event.headers['Caller-Caller-ID-Name']).toBe('张三');
    expect(event.headers['Content-Length']).toBe(String(Buffer.byteLength('+OK 好\n')));
    expect(event.body).toBe('+OK 好\n');
  });

  test('headers without the closing blank line are kept; a bad Content-Length is reported and read as 0', () => {
    const problems: Error[] = [];
    const event = parseEventPlain(Buffer.from('Event-Name: DTMF\nDTMF-Digit: 5\n'), (e) => problems.push(e));
    expect(event.headers).toEqual({ 'Event-Name': 'DTMF', 'DTMF-Digit': '5' });
    const { frames, problems: outer } = read(
      Buffer.from('Content-Type: api/response\nContent-Length: 99999999999\n\nContent-Type: command/reply\n\n'),
      3,
    );
    expect(outer.map((e) => e.message)).toEqual([expect.stringContaining('bad Content-Length')]);
    expect(frames.map((f) => f.headers['Content-Type'])).toEqual(['api/response', 'command/reply']);
    expect(problems).toEqual([]);
  });
});
