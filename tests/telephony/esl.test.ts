import net from 'node:net';
import esl from 'modesl';
import { afterEach, describe, expect, test } from 'vitest';
import { guardParser } from '../../telephony/freeswitch/connection.js';
import type { EslFrame } from '../../telephony/freeswitch/connection.js';
import { decodeHeaderValue } from '../../telephony/freeswitch/url-decode.js';
import { PbxAuthError } from '../../telephony/pbx/errors.js';
import { eslCaptures } from '../../telephony/testing/captures.js';
import { TestEslServer } from '../../telephony/testing/esl-server.js';
import { eventPlain, fsUrlEncode, splitFrames } from '../../telephony/testing/esl-wire.js';
import { type Harness, freeswitchHarness, nextEvent, until } from './helpers.js';

/** A bare TCP client that frames what the server sends with the protocol's own rules. */
async function rawClient(port: number) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await new Promise((resolve) => socket.once('connect', resolve));
  let buffer = Buffer.alloc(0);
  const frames: ReturnType<typeof splitFrames> = [];
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('data', (data) => {
    buffer = Buffer.concat([buffer, data]);
    for (;;) {
      const [frame] = splitFrames(buffer);
      const length = Number(frame?.headers['Content-Length'] ?? 0);
      if (!frame || frame.body.length < length) return;
      frames.push(frame);
      buffer = buffer.subarray(frame.raw.length);
    }
  });
  return {
    frames,
    send: (text: string) => socket.write(text),
    isClosed: () => closed,
    close: () => socket.destroy(),
    async frame(match: (f: (typeof frames)[number]) => boolean, what = 'frame') {
      await until(() => frames.some(match), 3_000, what);
      return frames.find(match)!;
    },
  };
}

/** An event-plain body's headers: up to the blank line, or to the end when a capture lost it. */
function innerHeaders(body: Buffer): Record<string, string> {
  const text = body.toString('utf8');
  const end = text.indexOf('\n\n');
  const headers: Record<string, string> = {};
  for (const line of (end < 0 ? text : text.slice(0, end)).split('\n')) {
    const colon = line.indexOf(': ');
    if (colon > 0) headers[line.slice(0, colon)] = line.slice(colon + 2);
  }
  return headers;
}

const servers: TestEslServer[] = [];
let harness: Harness<TestEslServer> | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: ConstructorParameters<typeof TestEslServer>[0] = {}) {
  const s = new TestEslServer(options);
  servers.push(s);
  await s.listen();
  return s;
}

describe('test ESL server speaks the protocol', () => {
  test('auth/request, then a wrong password gets -ERR invalid, a disconnect notice and a closed socket', async () => {
    const s = await server();
    const c = await rawClient(s.port);
    await c.frame((f) => f.headers['Content-Type'] === 'auth/request', 'auth/request');
    c.send('auth nope\n\n');
    await c.frame((f) => f.headers['Reply-Text'] === '-ERR invalid', '-ERR invalid');
    const notice = await c.frame((f) => f.headers['Content-Type'] === 'text/disconnect-notice', 'notice');
    expect(notice.body.toString()).toContain('Disconnected, goodbye.');
    await until(c.isClosed, 3_000, 'close');
  });

  test('api, bgapi with BACKGROUND_JOB, unknown commands', async () => {
    const s = await server();
    const c = await rawClient(s.port);
    c.send('auth ClueCon\n\n');
    await c.frame((f) => f.headers['Reply-Text'] === '+OK accepted');
    c.send('api status\n\n');
    const api = await c.frame((f) => f.headers['Content-Type'] === 'api/response');
    expect(api.body.length).toBe(Number(api.headers['Content-Length']));
    expect(api.body.toString()).toMatch(/^UP /);
    c.send('api frobnicate now\n\n');
    await c.frame((f) => f.body.toString() === '-ERR frobnicate Command not found!\n');
    c.send('event plain BACKGROUND_JOB\n\n');
    await c.frame((f) => f.headers['Reply-Text'] === '+OK event listener enabled plain');
    c.send('bgapi status\nJob-UUID: 5a9c0f3e-0000-4000-8000-000000000001\n\n');
    const ack = await c.frame((f) => (f.headers['Reply-Text'] ?? '').startsWith('+OK Job-UUID'));
    expect(ack.headers['Job-UUID']).toBe('5a9c0f3e-0000-4000-8000-000000000001');
    const job = await c.frame((f) => innerHeaders(f.body)['Event-Name'] === 'BACKGROUND_JOB');
    expect(innerHeaders(job.body)['Job-UUID']).toBe('5a9c0f3e-0000-4000-8000-000000000001');
    expect(job.body.toString()).toMatch(/\n\nUP /);
    c.close();
  });

  test('only subscribed events are sent; event-plain values are URL-encoded, event-json is not', async () => {
    const s = await server();
    const plain = await rawClient(s.port);
    const json = await rawClient(s.port);
    plain.send('auth ClueCon\n\nevent plain CHANNEL_ANSWER\n\n');
    json.send('auth ClueCon\n\nevent json CHANNEL_CREATE\n\n');
    await plain.frame((f) => f.headers['Reply-Text'] === '+OK event listener enabled plain');
    await json.frame((f) => f.headers['Reply-Text'] === '+OK event listener enabled json');
    s.simulateInboundCall({ from: '13800138000', to: '12319', callerName: '张三' });
    const answer = await plain.frame((f) => f.headers['Content-Type'] === 'text/event-plain');
    const created = await json.frame((f) => f.headers['Content-Type'] === 'text/event-json');
    // The call's events are written before the reply to a command sent after them: once it is in, nothing more is on its way.
    plain.send('api status\n\n');
    json.send('api status\n\n');
    await plain.frame((f) => f.headers['Content-Type'] === 'api/response', 'api reply (plain)');
    await json.frame((f) => f.headers['Content-Type'] === 'api/response', 'api reply (json)');
    const plainEvents = plain.frames
      .filter((f) => f.headers['Content-Type'] === 'text/event-plain')
      .map((f) => innerHeaders(f.body)['Event-Name']);
    expect(plainEvents).toEqual(['CHANNEL_ANSWER']);
    expect(json.frames.filter((f) => f.headers['Content-Type'] === 'text/event-json')).toHaveLength(1);
    expect(innerHeaders(answer.body)['Caller-Caller-ID-Name']).toBe('%E5%BC%A0%E4%B8%89');
    expect(innerHeaders(answer.body)['Event-Date-GMT']).toMatch(/^[A-Z][a-z]{2},%20/);
    expect(JSON.parse(created.body.toString())).toMatchObject({
      'Event-Name': 'CHANNEL_CREATE',
      'Caller-Caller-ID-Name': '张三',
    });
    plain.close();
    json.close();
  });

  test('exit: +OK bye, a disconnect notice, then the socket closes', async () => {
    const s = await server();
    const c = await rawClient(s.port);
    c.send('auth ClueCon\n\nexit\n\n');
    await c.frame((f) => f.headers['Reply-Text'] === '+OK bye');
    await c.frame((f) => f.headers['Content-Type'] === 'text/disconnect-notice');
    await until(c.isClosed, 3_000, 'close');
  });

  test('fsUrlEncode follows switch_url_encode', () => {
    expect(fsUrlEncode('张三')).toBe('%E5%BC%A0%E4%B8%89');
    expect(fsUrlEncode("sofia/default/1005 '&park'")).toBe("sofia/default/1005%20'%26park'");
    expect(fsUrlEncode('a:b@c')).toBe('a%3Ab%40c');
    expect(decodeHeaderValue('%E5%BC%A0%E4%B8%89')).toBe('张三');
    expect(decodeHeaderValue('%E5%BC')).toBe('\uFFFD');
    expect(decodeHeaderValue('100%')).toBe('100%');
  });
});

describe('capture replay', () => {
  test.each(eslCaptures().map((c) => [c.name, c] as const))(
    '%s: the guarded modesl parser sees every frame',
    async (_name, capture) => {
      const s = await server({ script: capture.reads });
      const expected = splitFrames(Buffer.concat(capture.reads));
      const seen: Array<{ type: string; event: string | null }> = [];
      const socket = net.connect({ port: s.port, host: '127.0.0.1' });
      const parser = new esl.Parser(socket);
      const problems: Error[] = [];
      guardParser(parser, (error) => problems.push(error));
      parser.on('esl::event', (event: InstanceType<typeof esl.Event>, headers: Record<string, unknown>) => {
        seen.push({ type: String(headers['Content-Type'] ?? ''), event: event.getHeader('Event-Name') });
      });
      await until(() => seen.length >= expected.length, 3_000, `${expected.length} frames`);
      socket.destroy();
      expect(seen).toHaveLength(expected.length);
      seen.forEach((frame, i) => {
        expect(frame.type).toBe(expected[i].headers['Content-Type'] ?? '');
        if (frame.type === 'text/event-plain') {
          expect(frame.event ?? undefined).toBe(innerHeaders(expected[i].body)['Event-Name']);
        }
      });
      expect(problems).toEqual([]);
    },
  );

  test.each(
    eslCaptures()
      .filter((c) => c.eventsOnly)
      .map((c) => [c.name, c] as const),
  )(
    '%s: replayed into a live adapter connection, every frame arrives and the adapter stays up',
    async (_name, capture) => {
      const frames: EslFrame[] = [];
      harness = await freeswitchHarness({}, { frames });
      await harness.pbx.start();
      const before = frames.length;
      const expected = splitFrames(Buffer.concat(capture.reads));
      await harness.server.replay(capture.reads);
      await until(() => frames.length - before >= expected.length, 3_000, `${expected.length} frames`);
      const got = frames.slice(before);
      expect(got.map((f) => f.contentType)).toEqual(expected.map((f) => f.headers['Content-Type'] ?? ''));
      got.forEach((frame, i) => {
        if (frame.contentType === 'text/event-plain')
          expect(frame.headers['Event-Name']).toBe(innerHeaders(expected[i].body)['Event-Name']);
      });
      expect(harness.pbx.state).toBe('connected');
      const probe = harness.server.simulateInboundCall({ from: '13800138000', to: '12319' });
      await until(() => harness!.pbx.getCall(probe.id) !== undefined, 3_000, 'the adapter still works');
    },
  );

  test('switchio CHANNEL_CREATE (unencoded, SDP in a header) becomes a call record', async () => {
    harness = await freeswitchHarness();
    await harness.pbx.start();
    const capture = eslCaptures().find((c) => c.name === 'switchio/eventstream')!;
    const created = capture.reads.filter((r) => r.includes('CHANNEL_CREATE'));
    const started = nextEvent(harness.pbx, 'call.started');
    await harness.server.replay(created);
    expect(await started).toMatchObject({
      callId: 'd0b1da34-a727-11e4-9728-6f83a2e5e50a',
      callerNumber: '100',
      calledNumber: '101',
    });
  });
});

describe('FreeSWITCH adapter', () => {
  test('authenticates, subscribes to its events and reports connected', async () => {
    harness = await freeswitchHarness();
    await harness.pbx.start();
    expect(harness.pbx.state).toBe('connected');
    const subscribe = harness.server.commands.find((c) => c.startsWith('event plain'))!;
    for (const name of [
      'CHANNEL_CREATE',
      'CHANNEL_ANSWER',
      'CHANNEL_BRIDGE',
      'DTMF',
      'RECORD_STOP',
      'CHANNEL_HANGUP_COMPLETE',
      'CHANNEL_EXECUTE_COMPLETE',
      'BACKGROUND_JOB',
    ]) {
      expect(subscribe).toContain(name);
    }
  });

  test('a wrong password: a clear error, reported, retried slowly (no storm) until the password is right', async () => {
    harness = await freeswitchHarness({ password: 'right' }, { password: 'wrong' });
    const refusals: Date[] = [];
    harness.pbx.on('pbx.error', (e) => {
      if (e.error instanceof PbxAuthError) refusals.push(e.at);
    });
    const error = await harness.pbx.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PbxAuthError);
    expect((error as Error).message).toMatch(/rejected the event socket password/);
    expect(harness.pbx.problems()[0]).toMatch(/rejected the event socket password/);
    await until(() => harness!.server.clientCount === 0, 3_000, 'socket closed');
    await until(() => refusals.length >= 2, 3_000, 'a second attempt');
    // retried at the backoff's cap (300 ms here), never in a tight loop
    expect(refusals[1].getTime() - refusals[0].getTime()).toBeGreaterThanOrEqual(290);
    harness.server.setPassword('wrong');
    await harness.pbx.start();
    expect(harness.pbx.state).toBe('connected');
    expect(harness.pbx.problems()).toEqual([]);
    await harness.pbx.stop();
    await expect(
      harness.pbx.playAndGetDigits('x', {
        prompt: { id: 'a', text: 'a' },
        minDigits: 1,
        maxDigits: 1,
        timeoutMs: 10,
        tries: 1,
      }),
    ).resolves.toEqual({ status: 'hangup' });
  });

  test('a broken frame before login: the attempt fails at once and is retried, nothing throws out of the socket', async () => {
    // Not a FreeSWITCH: it answers every connection with a frame whose Content-Length is not a number.
    let connections = 0;
    const liar = net.createServer((socket) => {
      connections++;
      // The adapter drops each attempt at once: the reset it sends must not go unheard here.
      socket.on('error', () => {});
      socket.write('Content-Length: many\nContent-Type: auth/request\n\n');
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const { FreeSwitchPbx } = await import('../../telephony/freeswitch/adapter.js');
      const pbx = new FreeSwitchPbx({
        host: '127.0.0.1',
        port: (liar.address() as net.AddressInfo).port,
        password: 'ClueCon',
        // Far longer than the test waits: each attempt must end on the frame, not on the clock.
        timeouts: { connectMs: 60_000 },
        reconnect: { initialDelayMs: 20, maxDelayMs: 50, jitter: 0 },
      });
      const started = pbx.start().catch((e: unknown) => e as Error);
      await until(() => connections >= 3, 10_000, 'three attempts');
      expect(pbx.state).toBe('connecting');
      await pbx.stop();
      expect(await started).toBeInstanceOf(Error);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await new Promise((resolve) => liar.close(resolve));
    }
  }, 20_000);

  test('frames written a few bytes at a time: a Chinese caller name, a bgapi originate, a recording', async () => {
    harness = await freeswitchHarness({ chunkSize: 7 });
    await harness.pbx.start();
    const call = harness.server.simulateInboundCall({ from: '13800138000', to: '12319', callerName: '张三丰' });
    const started = await nextEvent(harness.pbx, 'call.started', (e) => e.callId === call.id);
    expect(started.callerName).toBe('张三丰');
    await harness.pbx.startRecording(call.id, '/var/lib/cg/recordings/a.wav');
    const stopped = nextEvent(harness.pbx, 'recording.stopped');
    await harness.pbx.stopRecording(call.id, '/var/lib/cg/recordings/a.wav');
    expect((await stopped).path).toBe('/var/lib/cg/recordings/a.wav');
    const result = await harness.pbx.originate({
      destination: '13900000000',
      callerId: '12319',
      variables: { case_id: 'c-1' },
    });
    expect(result.status).toBe('answered');
    const hungup = nextEvent(harness.pbx, 'call.hungup', (e) => e.callId === result.callId);
    await harness.pbx.hangup(result.callId);
    await hungup;
    await harness.pbx.flush();
    expect(harness.store.get(call.id)?.recordingPath).toBe('/var/lib/cg/recordings/a.wav');
  });

  test('a caller name cut mid-character does not crash the reader', async () => {
    harness = await freeswitchHarness();
    await harness.pbx.start();
    const started = nextEvent(harness.pbx, 'call.started');
    const frame = eventPlain([
      ['Event-Name', 'CHANNEL_CREATE'],
      ['Unique-ID', '3f7c1d2e-0000-4000-8000-00000000cafe'],
      ['Call-Direction', 'inbound'],
      ['Caller-Caller-ID-Number', '13800138000'],
      ['Caller-Destination-Number', '12319'],
    ]);
    const broken = Buffer.from(
      frame
        .toString()
        .replace('Call-Direction: inbound', 'Caller-Caller-ID-Name: %E5%BC%A0%E4%B8\nCall-Direction: inbound')
        .replace(
          /Content-Length: \d+/,
          (m) => `Content-Length: ${Number(m.split(': ')[1]) + 'Caller-Caller-ID-Name: %E5%BC%A0%E4%B8\n'.length}`,
        ),
    );
    await harness.server.replay([broken]);
    expect((await started).callerName).toBe('张\uFFFD');
  });

  test('a disconnect notice: the adapter reconnects and resynchronises', async () => {
    harness = await freeswitchHarness();
    await harness.pbx.start();
    const call = harness.server.simulateInboundCall({ from: '13800138000', to: '12319' });
    await until(() => harness!.pbx.getCall(call.id) !== undefined);
    const reconnecting = nextEvent(harness.pbx, 'pbx.state', (e) => e.state === 'reconnecting');
    const resynced = nextEvent(harness.pbx, 'pbx.resynced');
    harness.server.sendDisconnectNotice();
    await reconnecting;
    expect((await resynced).ended).toEqual([]);
    expect(harness.pbx.state).toBe('connected');
  });
});

describe('malformed input', () => {
  test('eventstream2 (wrong Content-Length frames): no crash, no hang, the next command still works', async () => {
    harness = await freeswitchHarness();
    await harness.pbx.start();
    const capture = eslCaptures().find((c) => c.name === 'switchio/eventstream2')!;
    await harness.server.replay(capture.reads);
    const result = await harness.pbx.originate({ destination: '13900000000', callerId: '12319' });
    expect(result.status).toBe('answered');
    expect(harness.pbx.state).toBe('connected');
  });

  test.each([
    ['not a number', 'Content-Length: many\nContent-Type: text/event-plain\n\n'],
    ['larger than FreeSWITCH allows', 'Content-Length: 99999999999\nContent-Type: text/event-plain\n\n'],
    ['event-plain without a body', 'Content-Type: text/event-plain\n\n'],
    ['garbage', '\u0000\u0001\u0002 no colon here\n\n'],
  ])('a frame whose header is %s: the adapter carries on or reconnects, and works', async (_what, bytes) => {
    harness = await freeswitchHarness();
    await harness.pbx.start();
    await harness.server.replay([Buffer.from(bytes)]);
    await until(() => harness!.pbx.state === 'connected', 5_000, 'connected');
    const call = harness.server.simulateInboundCall({ from: '13800138000', to: '12319' });
    await until(() => harness!.pbx.getCall(call.id) !== undefined, 5_000, 'a record for a new call');
  });
});
