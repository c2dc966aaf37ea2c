// asterisk-ami-client ships no types; this covers the part we use.
declare module 'asterisk-ami-client' {
  import { EventEmitter } from 'node:events';

  export type AmiPacket = Record<string, string>;

  export interface AmiClientOptions {
    reconnect?: boolean;
    maxAttemptsCount?: number;
    attemptsDelay?: number;
    keepAlive?: boolean;
    keepAliveDelay?: number;
    emitEventsByTypes?: boolean;
    eventTypeToLowerCase?: boolean;
    emitResponsesById?: boolean;
    addTime?: boolean;
    eventFilter?: string[] | null;
  }

  /** Passed to net.connect as is, so `signal` works. */
  export interface AmiConnectOptions {
    host: string;
    port: number;
    signal?: AbortSignal;
  }

  export default class AmiClient extends EventEmitter {
    constructor(options?: AmiClientOptions);
    connect(user: string, secret: string, options: AmiConnectOptions): Promise<unknown>;
    disconnect(): this;
    action(message: AmiPacket, promisable?: false): this;
    /** Resolves with the response to the action (by its ActionID). */
    action(message: AmiPacket, promisable: true): Promise<AmiPacket>;
    readonly isConnected: boolean | null;
    readonly connection: unknown;
  }
}
