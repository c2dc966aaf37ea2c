/**
 * The ESL bench's call generator in a process of its own, as FreeSWITCH is:
 * a TestEslServer that, when told, makes N concurrent hotline calls (create, answer, a digit, bridged
 * to an agent, hung up) and reports how many frames it wrote and the bytes themselves.
 */
import { TestEslServer } from '../../telephony/testing/esl-server.js';

export type GeneratorMessage =
  { type: 'listening'; port: number } | { type: 'done'; frames: number } | { type: 'stream'; stream: Uint8Array };

if (!process.send) throw new Error('bench/esl/generator.ts runs as a child process of bench/esl/run.ts');
const send = (message: GeneratorMessage) => process.send!(message);
const callCount = Number(process.argv[2]);

const server = new TestEslServer({ recordWire: true, agents: ['1001', '1002', '1003', '1004'] });
send({ type: 'listening', port: await server.listen() });

process.on('message', async (message: 'go' | 'stream' | 'close') => {
  if (message === 'close') {
    void server.close().then(() => process.disconnect());
    return;
  }
  if (message === 'stream') {
    send({ type: 'stream', stream: new Uint8Array(Buffer.concat(server.wire)) });
    return;
  }
  server.wire.length = 0;
  const calls = [];
  for (let i = 0; i < callCount; i++) {
    calls.push(
      server.simulateInboundCall({
        from: `139${String(i).padStart(8, '0')}`,
        to: i % 2 ? '12319' : '96310',
        callerName: '张三',
      }),
    );
  }
  for (const call of calls) call.pressDigits('1');
  for (const [i, call] of calls.entries()) call.bridgeToAgent(String(1001 + (i % 4)));
  for (const call of calls) call.hangup();
  // A call's last events follow its running applications; the agents' legs end after the callers'.
  await Promise.all(calls.map((call) => call.ended));
  await new Promise((resolve) => setImmediate(resolve));
  // Every frame has been handed to the socket. The bytes themselves (for the replay and modesl) are asked
  // for after the live run's clock and CPU time have stopped: receiving them is not the adapter's work.
  send({ type: 'done', frames: server.wire.length });
});
