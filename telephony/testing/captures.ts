import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { splitFrames, withBody } from './esl-wire.js';

/**
 * The recorded captures the tests replay live in the repository (tests/fixtures, each folder's
 * SOURCE.md names where they were recorded), so a clone runs them with nothing beside it.
 * TELEPHONY_FIXTURES points elsewhere, e.g. at a newer set of captures.
 */
export function fixturesDir(): string {
  const dir = process.env.TELEPHONY_FIXTURES ?? path.resolve(import.meta.dirname, '../../tests/fixtures');
  if (!existsSync(path.join(dir, 'esl'))) throw new Error(`capture fixtures not found in ${dir}`);
  return dir;
}

export interface EslCapture {
  name: string;
  /** The bytes as TCP reads: one per frame, or the capture's own parts when it was recorded split. */
  reads: Buffer[];
  /** Only channel/job events and replies: safe to replay into a live, authenticated connection. */
  eventsOnly: boolean;
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file));

function perFrame(stream: Buffer): Buffer[] {
  const frames = splitFrames(stream).map((f) => f.raw);
  const used = frames.reduce((n, f) => n + f.length, 0);
  return used < stream.length ? [...frames, stream.subarray(used)] : frames;
}

/**
 * Every ESL capture in tests/fixtures/esl as a replayable byte stream. Files that are
 * an event's body only (genesis payloads) are framed as FreeSWITCH sends them; header
 * blocks without their blank line (outbound connect replies) get it back.
 */
export function eslCaptures(): EslCapture[] {
  const esl = path.join(fixturesDir(), 'esl');
  const davec = path.join(esl, 'davec82');
  const genesis = path.join(esl, 'genesis');
  const switchio = path.join(esl, 'switchio');
  const eventBody = (file: string) => withBody([['Content-Type', 'text/event-plain']], read(genesis, file));
  const parts = (dir: string, files: string[]) => files.map((f) => read(dir, f));
  return [
    {
      name: 'davec82/ASSEMBLED_command_reply_plus_CHANNEL_EXECUTE_COMPLETE',
      reads: perFrame(read(davec, 'ASSEMBLED_command_reply_plus_CHANNEL_EXECUTE_COMPLETE.txt')),
      eventsOnly: true,
    },
    {
      name: 'davec82/command_reply_and_event_part1..7',
      reads: parts(
        davec,
        [1, 2, 3, 4, 5, 6, 7].map((n) => `command_reply_and_event_part${n}.txt`),
      ),
      eventsOnly: true,
    },
    { name: 'davec82/api_response', reads: perFrame(read(davec, 'api_response.txt')), eventsOnly: true },
    {
      name: 'davec82/background_job_with_body',
      reads: perFrame(read(davec, 'background_job_with_body.txt')),
      eventsOnly: true,
    },
    { name: 'davec82/channel_data', reads: [read(davec, 'channel_data.txt')], eventsOnly: false },
    {
      name: 'davec82/channel_state_header+channel_state',
      reads: parts(davec, ['channel_state_header.txt', 'channel_state.txt']),
      eventsOnly: true,
    },
    { name: 'davec82/command_reply', reads: perFrame(read(davec, 'command_reply.txt')), eventsOnly: true },
    {
      name: 'davec82/disconnect_header+disconnect',
      reads: parts(davec, ['disconnect_header.txt', 'disconnect.txt']),
      eventsOnly: false,
    },
    {
      name: 'davec82/event_with_utf8_body',
      reads: perFrame(read(davec, 'event_with_utf8_body.txt')),
      eventsOnly: true,
    },
    {
      name: 'davec82/speech_detection_with_body_part1..3',
      reads: parts(
        davec,
        [1, 2, 3].map((n) => `speech_detection_with_body_part${n}.txt`),
      ),
      eventsOnly: true,
    },
    // the file lost the frame's last byte (a newline) somewhere upstream: its Content-Length is one more than what follows
    {
      name: 'genesis/background_job',
      reads: perFrame(Buffer.concat([read(genesis, 'background_job.txt'), Buffer.from('\n')])),
      eventsOnly: true,
    },
    { name: 'genesis/channel_create', reads: [eventBody('channel_create.txt')], eventsOnly: true },
    { name: 'genesis/custom', reads: [eventBody('custom.txt')], eventsOnly: true },
    { name: 'genesis/heartbeat', reads: [eventBody('heartbeat.txt')], eventsOnly: true },
    { name: 'genesis/mod_audio_stream_play', reads: [eventBody('mod_audio_stream_play.txt')], eventsOnly: true },
    { name: 'genesis/register', reads: [eventBody('register.txt')], eventsOnly: true },
    {
      name: 'genesis/connect',
      reads: [Buffer.concat([read(genesis, 'connect.txt'), Buffer.from('\n\n')])],
      eventsOnly: false,
    },
    { name: 'switchio/eventstream', reads: perFrame(read(switchio, 'eventstream.txt')), eventsOnly: false },
    { name: 'switchio/eventstream2', reads: perFrame(read(switchio, 'eventstream2.txt')), eventsOnly: true },
  ];
}

export interface AmiCapture {
  name: string;
  /** Server packets in wire form (CRLF), one per element. */
  packets: string[];
}

/**
 * panoramisk transcripts: an optional banner, then blank-line separated blocks; blocks
 * starting with Action: are what the client sent, the rest is what the server sent.
 * The Asterisk 13 wire stream is CRLF already; the debug log's "Examining AMI event"
 * blocks are the same events as Asterisk logged them.
 */
export function amiCaptures(): AmiCapture[] {
  const ami = path.join(fixturesDir(), 'ami');
  const toWire = (block: string) => `${block.split('\n').join('\r\n')}\r\n\r\n`;
  const captures: AmiCapture[] = [];
  const panoramisk = path.join(ami, 'panoramisk');
  const files = [
    'agent_loggued_in',
    'agent_not_in_pause',
    'asyncagi_channel_does_not_exist',
    'asyncagi_get_var',
    'command_core_show_version',
    'login_failed',
    'login_md5',
    'login_ok',
    'logoff',
    'originate_sync',
    'originate_with_events',
    'ping',
    'pjsip_show_endpoint',
    'queue_add',
    'queue_status',
    'rasterisk_command',
    'sip_notify',
  ];
  for (const file of files) {
    const text = read(panoramisk, `${file}.yaml`).toString('utf8').replace(/\r\n/g, '\n');
    const blocks = text
      .split(/\n\s*\n/)
      .map((b) => b.replace(/^\s*Asterisk Call Manager\/[^\n]*\n?/, '').replace(/^\s+|\s+$/g, ''))
      .filter(Boolean);
    captures.push({ name: `panoramisk/${file}`, packets: blocks.filter((b) => !/^action:/i.test(b)).map(toWire) });
  }
  const stream = read(path.join(ami, 'asterisk13'), 'derived_wire_stream.crlf.txt').toString('utf8');
  captures.push({
    name: 'asterisk13/derived_wire_stream',
    packets: stream
      .split('\r\n\r\n')
      .filter((b) => b.trim())
      .map((b) => `${b.replace(/^(\r\n)+/, '')}\r\n\r\n`),
  });
  const log = read(path.join(ami, 'asterisk13'), 'excerpt_manager_debug_log.txt').toString('utf8');
  captures.push({
    name: 'asterisk13/excerpt_manager_debug_log',
    packets: log
      .split('<-- Examining AMI event: -->\n')
      .slice(1)
      .map((b) => b.split(/\n\s*\n/)[0].replace(/\n+$/, ''))
      .filter((b) => b.startsWith('Event:'))
      .map(toWire),
  });
  return captures;
}
