// modesl ships no types; this covers the part we use.
declare module 'modesl' {
  import { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  export class Event {
    constructor(headers: Record<string, unknown>, body?: string);
    headers: Array<{ name: string; value: string }>;
    type: string;
    body: string;
    getHeader(name: string): string | null;
    getBody(): string;
    getType(): string;
  }

  export class Parser extends EventEmitter {
    constructor(socket: EventEmitter);
    buffer: Buffer;
    bodyLen: number;
    _onData(data: Buffer): void;
    _parseHeaderText(text: string): Record<string, string | number>;
    _parsePlainBody(text: string): Record<string, string | number>;
    _parseEvent(headers: Record<string, string | number>, body?: string): void;
  }

  export class Connection extends EventEmitter {
    constructor(host: string, port: number, password: string);
    constructor(host: string, port: number, password: string, ready: () => void);
    socket: Socket | null;
    parser?: Parser;
    authed: boolean;
    connected(): boolean;
    send(command: string, args?: Record<string, string> | null): void;
    sendRecv(command: string, args: Record<string, string> | null, cb?: (event: Event) => void): void;
    sendRecv(command: string, cb?: (event: Event) => void): void;
    api(command: string, cb: (event: Event) => void): void;
    events(type: 'plain' | 'json' | 'xml', events: string | string[], cb?: (event: Event) => void): void;
    disconnect(): void;
    _onConnect(): void;
    _onEvent(event: Event, headers: Record<string, string | number>, body?: string): void;
  }

  const esl: {
    Event: typeof Event;
    Parser: typeof Parser;
    Connection: typeof Connection;
    setLogLevel(level: number): void;
  };
  export default esl;
}
