import AmiClient, { type AmiPacket } from 'asterisk-ami-client';
import { PbxAuthError, pbxCommandFailed, pbxDisconnected } from '../pbx/errors.js';
import type { Logger } from '../pbx/logger.js';
import { withTimeout } from '../pbx/timing.js';

export type { AmiPacket };

export interface AmiSessionOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  signal: AbortSignal;
  logger: Logger;
  onEvent(event: AmiPacket): void;
  onClose(error?: Error): void;
  /** Tap on every packet the client parsed (tests, diagnostics). */
  onPacket?(packet: AmiPacket, kind: 'event' | 'response'): void;
}

interface Pending {
  action: string;
  mode: 'response' | 'list' | 'originate';
  items: AmiPacket[];
  resolve(value: AmiPacket | AmiPacket[]): void;
  reject(error: Error): void;
}

let sequence = 0;

/**
 * One logged-in AMI session over asterisk-ami-client. Two faults of that client are
 * handled here (see node_modules/asterisk-ami-connector/lib/index.js):
 * - after a refused Login it rejects but never destroys the socket: we pass an
 *   AbortSignal through to net.connect and abort it on any failure;
 * - events that arrive in the same TCP read as the Login response are parsed by a
 *   stream that has just been unpiped and are dropped: the adapter resynchronises
 *   (CoreShowChannels) right after every login, so no call is missed.
 * Its own ActionIDs are Date.now() and collide within a millisecond, and its
 * promise mode has a fixed 10 s timeout, so we send our own ActionIDs and match
 * responses ourselves.
 */
export class AmiSession {
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  private constructor(
    private readonly client: AmiClient,
    private readonly options: AmiSessionOptions,
  ) {}

  static async open(options: AmiSessionOptions): Promise<AmiSession> {
    const socketAbort = new AbortController();
    const onAbort = () => socketAbort.abort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    const client = new AmiClient({
      reconnect: false,
      keepAlive: false,
      emitEventsByTypes: false,
      emitResponsesById: false,
    });
    client.on('internalError', (error: unknown) => options.logger.warn({ err: error }, 'AMI client error'));
    try {
      await client.connect(options.username, options.secret, {
        host: options.host,
        port: options.port,
        signal: socketAbort.signal,
      });
    } catch (error) {
      socketAbort.abort();
      if (error instanceof Error && /^AMI message:/.test(error.message)) {
        throw new PbxAuthError(
          `Asterisk at ${options.host}:${options.port} refused the manager login for "${options.username}" (${error.message.slice(13)})`,
        );
      }
      throw error instanceof Error ? error : pbxDisconnected();
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
    const session = new AmiSession(client, options);
    client.on('event', (event: AmiPacket) => session.event(event));
    client.on('response', (response: AmiPacket) => session.response(response));
    client.on('disconnect', () => session.finish(pbxDisconnected()));
    if (options.signal.aborted) {
      session.destroy(pbxDisconnected());
      throw pbxDisconnected();
    }
    return session;
  }

  /** An action answered by one response. */
  action(fields: AmiPacket, timeoutMs: number): Promise<AmiPacket> {
    return this.send(fields, 'response', timeoutMs) as Promise<AmiPacket>;
  }

  /** An action answered by a response, then events with our ActionID up to `EventList: Complete`. */
  list(fields: AmiPacket, timeoutMs: number): Promise<AmiPacket[]> {
    return this.send(fields, 'list', timeoutMs) as Promise<AmiPacket[]>;
  }

  /** Originate with Async: true: the result is the OriginateResponse event with our ActionID. */
  originate(fields: AmiPacket, timeoutMs: number): Promise<AmiPacket> {
    return this.send({ ...fields, Async: 'true' }, 'originate', timeoutMs) as Promise<AmiPacket>;
  }

  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    try {
      await this.action({ Action: 'Logoff' }, timeoutMs);
    } catch {
      // leaving anyway
    }
    this.destroy(pbxDisconnected());
  }

  destroy(error: Error): void {
    if (!this.closed) this.client.disconnect();
    this.finish(error);
  }

  private send(fields: AmiPacket, mode: Pending['mode'], timeoutMs: number): Promise<AmiPacket | AmiPacket[]> {
    if (this.closed) return Promise.reject(pbxDisconnected());
    const id = `cg-${process.pid}-${++sequence}`;
    const action = fields.Action;
    const result = new Promise<AmiPacket | AmiPacket[]>((resolve, reject) => {
      this.pending.set(id, { action, mode, items: [], resolve, reject });
    });
    this.client.action({ ...fields, ActionID: id });
    return withTimeout(`AMI ${action}`, timeoutMs, result, () => this.pending.delete(id));
  }

  private response(response: AmiPacket): void {
    this.options.onPacket?.(response, 'response');
    const pending = response.ActionID ? this.pending.get(response.ActionID) : undefined;
    if (!pending) return;
    if (response.Response === 'Error') {
      this.pending.delete(response.ActionID);
      pending.reject(pbxCommandFailed(`AMI ${pending.action}`, response.Message ?? 'error'));
    } else if (pending.mode === 'response' || (pending.mode === 'list' && response.EventList === 'Complete')) {
      this.pending.delete(response.ActionID);
      pending.resolve(pending.mode === 'list' ? [] : response);
    }
  }

  private event(event: AmiPacket): void {
    this.options.onPacket?.(event, 'event');
    const pending = event.ActionID ? this.pending.get(event.ActionID) : undefined;
    if (pending?.mode === 'list') {
      if (event.EventList === 'Complete' || /Complete$/.test(event.Event ?? '')) {
        this.pending.delete(event.ActionID);
        pending.resolve(pending.items);
      } else {
        pending.items.push(event);
      }
      return;
    }
    if (pending?.mode === 'originate' && event.Event === 'OriginateResponse') {
      this.pending.delete(event.ActionID);
      pending.resolve(event);
    }
    this.options.onEvent(event);
  }

  private finish(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.options.onClose(error);
  }
}
