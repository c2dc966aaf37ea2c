import { randomUUID } from 'node:crypto';
import esl from 'modesl';
import type { Event as EslEvent, Parser as EslParser } from 'modesl';
import { PbxAuthError, pbxCommandFailed, pbxDisconnected, pbxProtocolError } from '../pbx/errors.js';
import type { Logger } from '../pbx/logger.js';
import { withTimeout } from '../pbx/timing.js';
import { EslFrameReader, parseEventPlain, parseHeaderText } from './frames.js';

export type EslHeaders = Record<string, string>;

/** Every frame the connection parsed, for tests and diagnostics. */
export interface EslFrame {
  contentType: string;
  headers: EslHeaders;
  body: string;
}

export interface EslConnectionOptions {
  host: string;
  port: number;
  password: string;
  /** The events to subscribe to, in `event plain` format. */
  events: string[];
  signal: AbortSignal;
  logger: Logger;
  onEvent(headers: EslHeaders, body: string): void;
  onClose(error?: Error): void;
  onFrame?(frame: EslFrame): void;
}

type Settle<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

/**
 * modesl's Connection, with what it lacks for unattended use: a failed auth destroys
 * the socket, a frame that cannot be decoded is reported instead of thrown out of the
 * socket's data handler (which would crash the process), an absurd Content-Length
 * drops the connection instead of stalling it, and replies can time out. The stream is
 * cut into frames by our reader, and events (nearly every frame) are parsed once, straight
 * into header strings, and never become modesl Events; modesl sees the replies it waits for.
 */
class GuardedConnection extends esl.Connection {
  onFrame: ((contentType: string, headers: EslHeaders, body: string) => void) | null = null;
  onMalformed: ((error: Error) => void) | null = null;

  override _onConnect(): void {
    super._onConnect();
    const parser = this.parser as EslParser;
    const malformed = (error: Error) => this.onMalformed?.(error);
    guardParser(parser, malformed);
    const reader = new EslFrameReader((outer, body) => {
      if (outer['Content-Type'] !== 'text/event-plain') return parser._parseEvent(outer, body?.toString('utf8'));
      try {
        const event = parseEventPlain(body ?? Buffer.alloc(0), malformed);
        this.onFrame?.('text/event-plain', event.headers, event.body);
      } catch (error) {
        malformed(error as Error);
      }
    }, malformed);
    // modesl's parser reads the socket no more: the reader above feeds it the frames that are not events.
    const socket = this.socket!;
    for (const listener of socket.listeners('data')) socket.off('data', listener as (chunk: Buffer) => void);
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
  }

  override _onEvent(event: EslEvent, headers: Record<string, string | number>, body?: string): void {
    const contentType = String(headers['Content-Type'] ?? '');
    const frameHeaders =
      contentType === 'text/event-json'
        ? headersOf(event)
        : (Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])) as EslHeaders);
    this.onFrame?.(contentType, frameHeaders, contentType === 'text/event-json' ? (event.body ?? '') : (body ?? ''));
    super._onEvent(event, headers, body);
  }
}

/**
 * Hardens a modesl Parser in place: header values are decoded without throwing, an
 * event whose headers lack the closing blank line keeps its headers, a
 * Content-Length that is not a size FreeSWITCH could send is reported (and read as 0)
 * instead of stalling the stream, and a frame modesl cannot turn into an event is
 * reported instead of thrown out of the socket's data handler.
 */
export function guardParser(parser: EslParser, onMalformed: (error: Error) => void): void {
  parser._parseHeaderText = (text) => parseHeaderText(text, onMalformed);
  // modesl looks for the blank line that ends an event's headers and, without one, returns no headers at all
  const parsePlainBody = parser._parsePlainBody.bind(parser);
  parser._parsePlainBody = (text) =>
    text.includes('\n\n') ? parsePlainBody(text) : parseHeaderText(text.replace(/\n+$/, ''), onMalformed);
  const parseEvent = parser._parseEvent.bind(parser);
  parser._parseEvent = (headers, body) => {
    try {
      parseEvent(headers, body);
    } catch (error) {
      onMalformed(error as Error);
    }
  };
}

function headersOf(event: EslEvent): EslHeaders {
  const headers: EslHeaders = {};
  for (const { name, value } of event.headers) headers[name] = String(value);
  return headers;
}

export class EslConnection {
  private readonly jobs = new Map<string, Settle<string>>();
  private readonly executions = new Map<string, Settle<EslHeaders>>();
  private closed = false;

  private constructor(
    private readonly conn: GuardedConnection,
    private readonly options: EslConnectionOptions,
  ) {}

  /** Connects, authenticates and subscribes; rejects with PbxAuthError on `-ERR invalid`. */
  static open(options: EslConnectionOptions): Promise<EslConnection> {
    return new Promise((resolve, reject) => {
      const conn = new GuardedConnection(options.host, options.port, options.password);
      const socket = conn.socket!;
      const connection = new EslConnection(conn, options);
      let opened = false;

      const fail = (error: Error) => {
        if (opened || connection.closed) return;
        connection.closed = true;
        options.signal.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(error);
      };
      const onAbort = () => fail(pbxDisconnected());
      options.signal.addEventListener('abort', onAbort, { once: true });

      conn.onFrame = (contentType, headers, body) => connection.frame(contentType, headers, body);
      conn.onMalformed = (error) => {
        options.logger.warn({ err: error }, 'malformed ESL frame');
        if (!error.message.startsWith('bad Content-Length')) return;
        // Before login the attempt fails with the reason; after it the open connection is dropped.
        if (!opened) fail(error);
        else connection.destroy(error);
      };
      conn.on('error', (error: Error) => {
        if (!opened) fail(error);
        else options.logger.warn({ err: error }, 'ESL socket error');
      });
      socket.on('close', () => {
        if (!opened) fail(pbxDisconnected());
        else connection.finish(pbxDisconnected());
      });
      conn.on('esl::event::auth::fail', () => {
        fail(
          new PbxAuthError(
            `FreeSWITCH at ${options.host}:${options.port} rejected the event socket password (-ERR invalid)`,
          ),
        );
      });
      conn.on('esl::event::auth::success', () => {
        conn.events('plain', options.events, (reply) => {
          const text = reply.getHeader('Reply-Text') ?? '';
          if (!text.startsWith('+OK')) return fail(pbxCommandFailed('event plain', text));
          opened = true;
          options.signal.removeEventListener('abort', onAbort);
          resolve(connection);
        });
      });
      conn.on('esl::event::disconnect::notice', (event: EslEvent) => {
        if (event.getHeader('Content-Disposition') === 'linger') return;
        if (!opened) fail(pbxDisconnected());
        else connection.destroy(pbxDisconnected());
      });
    });
  }

  /** `api` runs synchronously in FreeSWITCH: the reply body is the result. */
  api(command: string, timeoutMs: number): Promise<string> {
    return this.awaitReply(`api ${command.split(' ')[0]}`, timeoutMs, (done) => {
      this.conn.api(command, (event) => done(event.getBody() ?? ''));
    });
  }

  /** `bgapi`: the reply only acknowledges; the result arrives as BACKGROUND_JOB with our Job-UUID. */
  bgapi(command: string, timeoutMs: number): Promise<string> {
    const jobId = randomUUID();
    const result = new Promise<string>((resolve, reject) => this.jobs.set(jobId, { resolve, reject }));
    result.catch(() => {});
    const ack = this.awaitReply(`bgapi ${command.split(' ')[0]}`, timeoutMs, (done) => {
      this.conn.sendRecv(`bgapi ${command}`, { 'Job-UUID': jobId }, (event) =>
        done(event.getHeader('Reply-Text') ?? ''),
      );
    });
    return ack.then(
      (reply) => {
        if (!reply.startsWith('+OK')) {
          this.jobs.delete(jobId);
          throw pbxCommandFailed(`bgapi ${command.split(' ')[0]}`, reply);
        }
        return result;
      },
      (error: Error) => {
        this.jobs.delete(jobId);
        throw error;
      },
    );
  }

  /**
   * Runs a dialplan application on a channel (sendmsg execute). Resolves with the
   * headers of the CHANNEL_EXECUTE_COMPLETE that carries our Event-UUID as Application-UUID.
   */
  execute(uuid: string, app: string, arg: string, timeoutMs: number): Promise<EslHeaders> {
    const eventUuid = randomUUID();
    const result = new Promise<EslHeaders>((resolve, reject) => this.executions.set(eventUuid, { resolve, reject }));
    result.catch(() => {});
    const headers = {
      'call-command': 'execute',
      'execute-app-name': app,
      'execute-app-arg': arg,
      'Event-UUID': eventUuid,
    };
    const ack = this.awaitReply(`sendmsg ${app}`, timeoutMs, (done) => {
      this.conn.sendRecv(`sendmsg ${uuid}`, headers, (event) => done(event.getHeader('Reply-Text') ?? ''));
    });
    return ack.then(
      (reply) => {
        if (!reply.startsWith('+OK')) {
          this.executions.delete(eventUuid);
          throw pbxCommandFailed(`execute ${app}`, reply);
        }
        return result;
      },
      (error: Error) => {
        this.executions.delete(eventUuid);
        throw error;
      },
    );
  }

  /** Says `exit` and waits briefly for FreeSWITCH to close; destroys the socket either way. */
  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    const socket = this.conn.socket;
    const gone = new Promise<void>((resolve) => socket?.once('close', () => resolve()));
    try {
      this.conn.send('exit');
      await withTimeout('exit', timeoutMs, gone);
    } catch {
      // a peer that does not say goodbye is closed all the same
    }
    this.destroy(pbxDisconnected());
  }

  destroy(error: Error): void {
    this.conn.socket?.destroy();
    this.finish(error);
  }

  private finish(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of [...this.jobs.values(), ...this.executions.values()]) pending.reject(error);
    this.jobs.clear();
    this.executions.clear();
    this.options.onClose(error);
  }

  /**
   * Replies on the event socket come back in the order commands were sent. One that
   * never comes means the stream can no longer be trusted, so a timeout drops the connection.
   */
  private awaitReply(what: string, timeoutMs: number, send: (done: (value: string) => void) => void): Promise<string> {
    if (this.closed) return Promise.reject(pbxDisconnected());
    return withTimeout(what, timeoutMs, new Promise<string>((resolve) => send(resolve)), () =>
      this.destroy(pbxProtocolError(`${what}: no reply within ${timeoutMs} ms`)),
    );
  }

  private frame(contentType: string, headers: EslHeaders, body: string): void {
    this.options.onFrame?.({ contentType, headers, body });
    if (contentType !== 'text/event-plain' && contentType !== 'text/event-json') return;
    const name = headers['Event-Name'];
    if (name === 'BACKGROUND_JOB') {
      const job = this.jobs.get(headers['Job-UUID']);
      if (job) {
        this.jobs.delete(headers['Job-UUID']);
        job.resolve(body);
      }
      return;
    }
    if (name === 'CHANNEL_EXECUTE_COMPLETE') {
      const id = headers['Application-UUID'];
      const execution = id ? this.executions.get(id) : undefined;
      if (execution) {
        this.executions.delete(id);
        execution.resolve(headers);
      }
    }
    this.options.onEvent(headers, body);
  }
}
