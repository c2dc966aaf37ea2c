import net from 'node:net';
import AmiClient from 'asterisk-ami-client';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { AmiPacket } from '../../telephony/asterisk/connection.js';
import { originateFailureReason } from '../../telephony/asterisk/reasons.js';
import { originateFailureReason as fsReason } from '../../telephony/freeswitch/causes.js';
import { PbxAuthError } from '../../telephony/pbx/errors.js';
import { TestAmiServer } from '../../telephony/testing/ami-server.js';
import { amiCaptures } from '../../telephony/testing/captures.js';
import { type Harness, asteriskHarness, nextEvent, until } from './helpers.js';

async function rawClient(port: number) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  let text = '';
  let closed = false;
  socket.on('data', (d) => (text += d.toString()));
  socket.on('close', () => (closed = true));
  await new Promise((resolve) => socket.once('connect', resolve));
  return {
    send: (packet: string) => socket.write(packet),
    text: () => text,
    isClosed: () => closed,
    close: () => socket.destroy(),
  };
}

const servers: TestAmiServer[] = [];
const clients: AmiClient[] = [];
let harness: Harness<TestAmiServer> | null = null;
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await harness?.close();
  harness = null;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: ConstructorParameters<typeof TestAmiServer>[0] = {}) {
  const s = new TestAmiServer(options);
  servers.push(s);
  await s.listen();
  return s;
}

describe('test AMI server speaks the protocol', () => {
  test('banner, failed Login (Authentication failed), then Asterisk closes the session', async () => {
    const s = await server();
    const c = await rawClient(s.port);
    await until(() => c.text().startsWith('Asterisk Call Manager/5.0.1\r\n'), 3_000, 'banner');
    c.send('Action: Login\r\nActionID: 1\r\nUsername: admin\r\nSecret: nope\r\n\r\n');
    await until(
      () => c.text().includes('Response: Error\r\nActionID: 1\r\nMessage: Authentication failed\r\n\r\n'),
      3_000,
      'error',
    );
    await until(c.isClosed, 3_000, 'close');
  });

  test('Login, FullyBooted, responses by ActionID, unknown actions, lowercase keys', async () => {
    const s = await server();
    const c = await rawClient(s.port);
    c.send('action: login\r\nactionid: a1\r\nusername: admin\r\nsecret: amp111\r\n\r\n');
    await until(
      () =>
        c
          .text()
          .includes('Response: Success\r\nActionID: a1\r\nMessage: Authentication accepted\r\n\r\nEvent: FullyBooted'),
      3_000,
      'login',
    );
    c.send('Action: Ping\r\nActionID: p-7\r\n\r\nAction: Frobnicate\r\nActionID: f-1\r\n\r\n');
    await until(() => /Response: Success\r\nActionID: p-7\r\nPing: Pong/.test(c.text()), 3_000, 'pong');
    await until(
      () => c.text().includes('Response: Error\r\nActionID: f-1\r\nMessage: Invalid/unknown command'),
      3_000,
      'error',
    );
    s.simulateInboundCall({ from: '13800138000', to: '12319', callerName: '王五' });
    await until(() => c.text().includes('Event: Newchannel\r\n'), 3_000, 'event');
    expect(c.text()).toMatch(/CallerIDName: 王五\r\n/);
    c.close();
  });
});

describe('asterisk-ami-client faults, reproduced against the test server and handled', () => {
  test('the client leaves the socket open after a failed Login; the adapter closes it', async () => {
    const s = await server({ closeOnAuthFailure: false });
    const client = new AmiClient({ reconnect: false });
    clients.push(client);
    // The client's socket, to see what the client does with it once the Login is refused.
    const connect = vi.spyOn(net, 'connect');
    await expect(client.connect('admin', 'wrong', { host: '127.0.0.1', port: s.port })).rejects.toThrow(
      /Authentication failed/,
    );
    const socket = connect.mock.results.map((r) => r.value as net.Socket).find((c) => c.remotePort === s.port)!;
    connect.mockRestore();
    // Refused, and neither ended nor destroyed: the client keeps the socket open (the server still has it).
    expect(socket.destroyed).toBe(false);
    expect(socket.writableEnded).toBe(false);
    expect(s.clientCount).toBe(1);
    socket.destroy();

    harness = await asteriskHarness({ closeOnAuthFailure: false }, { password: 'wrong' });
    const error = await harness.pbx.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PbxAuthError);
    expect((error as Error).message).toMatch(/refused the manager login for "admin" \(Authentication failed\)/);
    await until(() => harness!.server.clientCount === 0, 3_000, 'socket closed by the adapter');
    // refused logins are reported and retried at the backoff's cap, not in a storm
    expect(harness.pbx.problems()[0]).toMatch(/refused the manager login/);
    await harness.pbx.stop();
    expect(harness.server.actions.filter((a) => a.toLowerCase() === 'login').length).toBeLessThanOrEqual(2);
  });

  test('the client drops events that share a TCP read with the Login response; the adapter resyncs', async () => {
    const s = await server();
    let early: string | undefined;
    s.onLogin(() => {
      early ??= s.simulateInboundCall({ from: '13800138000', to: '12319' }).id;
    });
    const client = new AmiClient({ reconnect: false });
    clients.push(client);
    const seen: AmiPacket[] = [];
    client.on('event', (event: AmiPacket) => seen.push(event));
    await client.connect('admin', 'amp111', { host: '127.0.0.1', port: s.port });
    const loginWrite = s.writes.find((w) => w.includes('Authentication accepted'))!;
    expect(loginWrite).toContain(`Event: Newchannel\r\n`);
    expect(loginWrite).toContain(`Uniqueid: ${early}\r\n`);
    // Events arrive in order on the socket: once the answer to a later Ping is in, the early ones would have been too.
    expect(await client.action({ Action: 'Ping' }, true)).toMatchObject({ Response: 'Success', Ping: 'Pong' });
    expect(seen.filter((e) => e.Event === 'Newchannel' || e.Event === 'FullyBooted')).toEqual([]);

    harness = await asteriskHarness();
    let missed: string | undefined;
    harness.server.onLogin(() => {
      missed ??= harness!.server.simulateInboundCall({ from: '13900000000', to: '96310' }).id;
    });
    const resynced = nextEvent(harness.pbx, 'pbx.resynced');
    await harness.pbx.start();
    expect((await resynced).recovered).toContain(missed);
    await harness.pbx.flush();
    expect(harness.store.get(missed!)).toMatchObject({
      callerNumber: '13900000000',
      calledNumber: '96310',
      direction: 'inbound',
    });
    expect(harness.store.get(missed!)?.answeredAt).toBeInstanceOf(Date);
  });
});

const MARKER = 'Event: UserEvent\r\nUserEvent: cg-test-marker\r\n\r\n';
const isMarker = (p: AmiPacket) => p.Event === 'UserEvent' && p.UserEvent === 'cg-test-marker';

describe('AMI capture replay', () => {
  test.each(amiCaptures().map((c) => [c.name, c] as const))(
    '%s: every packet reaches the adapter',
    async (_name, capture) => {
      const packets: AmiPacket[] = [];
      harness = await asteriskHarness({}, { packets });
      await harness.pbx.start();
      const before = packets.length;
      await harness.server.replay([...capture.packets, MARKER]);
      // The marker, written after the capture, arrives after every packet the capture became.
      await until(() => packets.some(isMarker), 5_000, 'the marker after the capture');
      const got = packets.slice(before, packets.findIndex(isMarker));
      expect(got).toHaveLength(capture.packets.length);
      got.forEach((packet, i) => {
        const first = capture.packets[i].split('\r\n')[0];
        // panoramisk marks gaps in its recordings ("[218 bytes missing in capture file]"): a corrupt packet, still one packet
        if (!/^(Event|Response):/.test(first)) return;
        const [key, value] = [first.slice(0, first.indexOf(':')), first.slice(first.indexOf(':') + 1).trim()];
        expect(packet[key === 'Event' ? 'Event' : 'Response']).toBe(value);
        const id = /ActionID: ([^\r]*)/i.exec(capture.packets[i])?.[1];
        if (id && key === 'Event') expect(packet.ActionID).toBe(id);
      });
      expect(harness.pbx.state).toBe('connected');
    },
  );

  test('the Asterisk 13 stream becomes a call record with its DTMF', async () => {
    harness = await asteriskHarness();
    await harness.pbx.start();
    const capture = amiCaptures().find((c) => c.name === 'asterisk13/derived_wire_stream')!;
    await harness.server.replay(capture.packets);
    await until(() => harness!.pbx.getCall('1514295827.372')?.dtmf === '1', 3_000, 'dtmf');
    expect(harness.pbx.getCall('1514295827.372')).toMatchObject({
      callerNumber: '123',
      callerName: 'Eugene R',
      calledNumber: '888999',
    });
  });
});

describe('call recordings', () => {
  test('a recording the dialplan started (cg_recording) is linked to the call when it hangs up', async () => {
    harness = await asteriskHarness({ recordingsDir: '/var/spool/cg' });
    await harness.pbx.start();
    const call = harness.server.simulateInboundCall({ from: '13800138000', to: '12319' });
    const stopped = nextEvent(harness.pbx, 'recording.stopped', (e) => e.callId === call.id);
    call.hangup();
    expect((await stopped).path).toBe(`/var/spool/cg/${call.id}.wav`);
    await harness.pbx.flush();
    expect(harness.store.get(call.id)?.recordingPath).toBe(`/var/spool/cg/${call.id}.wav`);
  });

  test('one the service started: MixMonitorStop comes only from StopMixMonitor, the hangup ends it otherwise', async () => {
    harness = await asteriskHarness();
    await harness.pbx.start();
    const first = harness.server.simulateInboundCall({ from: '13800138000', to: '12319' });
    await nextEvent(harness.pbx, 'call.answered', (e) => e.callId === first.id);
    await harness.pbx.startRecording(first.id, '/var/spool/cg/a.wav');
    const stopped = nextEvent(harness.pbx, 'recording.stopped', (e) => e.callId === first.id);
    await harness.pbx.stopRecording(first.id, '/var/spool/cg/a.wav');
    expect((await stopped).path).toBe('/var/spool/cg/a.wav');
    const second = harness.server.simulateInboundCall({ from: '13800138001', to: '12319' });
    await nextEvent(harness.pbx, 'call.answered', (e) => e.callId === second.id);
    await harness.pbx.startRecording(second.id, '/var/spool/cg/b.wav');
    const ended = nextEvent(harness.pbx, 'recording.stopped', (e) => e.callId === second.id);
    second.hangup();
    expect((await ended).path).toBe('/var/spool/cg/b.wav');
    await harness.pbx.flush();
    expect(harness.store.get(first.id)?.recordingPath).toBe('/var/spool/cg/a.wav');
    expect(harness.store.get(second.id)?.recordingPath).toBe('/var/spool/cg/b.wav');
  });
});

describe('outcome mappings', () => {
  test('Asterisk OriginateResponse Reason codes, refined by the Hangup cause', () => {
    expect(originateFailureReason(0, null)).toBe('failed');
    expect(originateFailureReason(1, null)).toBe('no_answer');
    expect(originateFailureReason(1, 21)).toBe('rejected');
    expect(originateFailureReason(3, null)).toBe('no_answer');
    expect(originateFailureReason(5, null)).toBe('busy');
    expect(originateFailureReason(8, null)).toBe('failed');
  });

  test('FreeSWITCH originate causes', () => {
    expect(['NO_ANSWER', 'NO_USER_RESPONSE', 'ORIGINATOR_CANCEL'].map(fsReason)).toEqual([
      'no_answer',
      'no_answer',
      'no_answer',
    ]);
    expect(fsReason('USER_BUSY')).toBe('busy');
    expect(fsReason('CALL_REJECTED')).toBe('rejected');
    expect(fsReason('UNALLOCATED_NUMBER')).toBe('failed');
  });
});
